import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { startService, type Service } from '../../src/service.js';
import { childEnv, cliSession } from '../support/cli.js';
import { readmeRecipes, type Recipe } from '../support/readme-recipes.js';

/**
 * Follows one recipe in `env` (changed as the recipe exports), as an operator pasting it
 * would. Its commands and its service share the session's database, opened once.
 */
async function follow(recipe: Recipe, env: Record<string, string>, session: ReturnType<typeof cliSession>): Promise<void> {
  let service: Service | undefined;
  let shown = '';
  let line = '';
  try {
    for (const [index, step] of recipe.steps.entries()) {
      switch (step.kind) {
        case 'env':
          env[step.name] = step.value;
          break;
        case 'cli': {
          line = step.line;
          const run = await session.run(step.args, env);
          // A command must succeed, unless the README says how it fails (`# → exit 1`).
          const next = recipe.steps[index + 1];
          if (!(next?.kind === 'expect' && next.text.startsWith('exit '))) expect(run.code, `${recipe.name}: ${line}\n${run.stderr}`).toBe(0);
          shown = `exit ${run.code}\n${run.stdout}${run.stderr}`;
          break;
        }
        case 'start':
          service = await startService(loadConfig(childEnv({ ...env, PORT: '0', LOG_LEVEL: 'silent' })), pino({ level: 'silent' }), session.database());
          break;
        case 'curl': {
          line = step.line;
          if (service === undefined) throw new Error(`${recipe.name}: a request before npm start: ${line}`);
          const res = await fetch(step.url.replace(/^http:\/\/localhost:8080/, service.url), { method: step.method, headers: step.headers, ...(step.body !== undefined && { body: step.body }) });
          shown = `HTTP ${res.status}\n${await res.text()}`;
          break;
        }
        case 'expect':
          expect(shown, `${recipe.name}: ${line} shows ${JSON.stringify(step.text)}`).toContain(step.text);
          break;
      }
    }
  } finally {
    await service?.stop();
  }
}

/** The recipes of the README's "Turn on each part", in their order. */
const RECIPES = ['sample', 'edx-archive', 'edx-live', 'catalogue-oai', 'eco', 'reports', 'coursera', 'futurelearn'];

describe("the README's recipes, followed on a fresh data directory", () => {
  it('turn on each part and show what the README says they show', async () => {
    const recipes = await readmeRecipes(await readFile('README.md', 'utf8'));
    expect(recipes.map((r) => r.name)).toEqual(RECIPES);
    const dir = await mkdtemp(join(tmpdir(), 'xgw-readme-'));
    try {
      const env: Record<string, string> = { DATA_DIR: dir };
      const session = cliSession(env);
      try {
        for (const recipe of recipes) await follow(recipe, env, session);
      } finally {
        await session.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
