/**
 * Learning Locker's statement service (`xapi-statements`), the peer the embedded LRS is
 * measured against. It is never a dependency of the project: the first run installs it
 * into bench/.peer (gitignored), and it runs in a child process with its in-memory
 * store and test auth (any Basic credentials pass), so that no MongoDB or Redis is needed.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../test/support/net.js';

export const PEER_PACKAGE = 'xapi-statements@5.0.1';
const PEER_DIR = join('bench', '.peer');
const PEER_SERVER = join(PEER_DIR, 'node_modules', 'xapi-statements', 'dist', 'server.js');

/** A running peer LRS. */
export interface PeerProcess {
  endpoint: string;
  stop(): Promise<void>;
}

/** Installs the peer once, with npm's ordinary client. */
async function installPeer(): Promise<void> {
  if (existsSync(PEER_SERVER)) return;
  mkdirSync(PEER_DIR, { recursive: true });
  console.error(`installing ${PEER_PACKAGE} into ${PEER_DIR}`);
  await new Promise<void>((resolve, reject) => {
    const npm = spawn('npm', ['install', '--prefix', PEER_DIR, '--no-audit', '--no-fund', '--no-save', PEER_PACKAGE], { stdio: ['ignore', 'ignore', 'inherit'] });
    npm.on('error', reject);
    npm.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`npm install ${PEER_PACKAGE} exited with ${code}`))));
  });
}

/** Starts the peer on a free port with an empty in-memory store. */
export async function startPeer(): Promise<PeerProcess> {
  await installPeer();
  const port = await freePort();
  const storage = join(PEER_DIR, 'storage');
  const child = spawn(process.execPath, [PEER_SERVER], {
    env: {
      PATH: process.env.PATH ?? '',
      EXPRESS_PORT: String(port),
      EXPRESS_BODY_PARSER_LIMIT: '50mb',
      EXPRESS_MORGAN_DIRECTORY: storage,
      FS_LOCAL_STORAGE_DIR: storage,
      AUTH_REPO: 'test',
      EVENTS_REPO: 'test',
      MODELS_REPO: 'memory',
      STORAGE_REPO: 'memory',
      WINSTON_CONSOLE_LEVEL: 'error',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const origin = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  for (let i = 0; i < 150; i++) {
    if (await fetch(`${origin}/xAPI/about`).then((r) => r.ok, () => false)) return { endpoint: `${origin}/xAPI/`, stop };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await stop();
  throw new Error('the peer LRS did not start');
}
