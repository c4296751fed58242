/**
 * The actor deletion of the two LRSs people run behind a gateway, as their APIs speak it:
 * - SQL LRS: `POST /admin/account/login` ({username, password} → {account-id,
 *   json-web-token}), then `DELETE /admin/agents` ({"actor-ifi": "account::name@homePage"})
 *   with that token as Bearer; 404 unless LRSQL_ENABLE_ADMIN_DELETE_ACTOR is on;
 * - Learning Locker: API v2 with Basic client credentials: `GET /api/v2/personaidentifier`
 *   (a JSON `filter` on `ifi.key` and `ifi.value.*`), `POST /api/v2/batchdelete/initialise`
 *   ({filter} on `statement.actor.account.*`), `DELETE /api/v2/persona/:id`.
 * Both keep statements as {actor account}, so a test sees what was erased and what stays.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readBody, send } from './http.js';

/** An actor account held in the fake LRS. */
export interface HeldAccount {
  homePage: string;
  name: string;
}

/** A running fake. */
export interface FakeLrsAdmin {
  origin: string;
  /** Statements held, one per account per entry. */
  statements: HeldAccount[];
  /** Learning Locker's personas by id. */
  personas: Map<string, HeldAccount>;
  /** Requests refused, and why. */
  refusals: string[];
  close(): Promise<void>;
}

/** Options: which LRS, its admin credentials, and SQL LRS's deletion switch. */
export interface FakeLrsAdminOptions {
  kind: 'sql-lrs' | 'learning-locker';
  username: string;
  password: string;
  /** SQL LRS's LRSQL_ENABLE_ADMIN_DELETE_ACTOR (default on). */
  deleteActorEnabled?: boolean;
  /** Statements to hold at the start; each account gets a Learning Locker persona. */
  held: HeldAccount[];
}

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL, body: string) => void;

/** Starts the fake on a free port of 127.0.0.1. */
export async function startFakeLrsAdmin(options: FakeLrsAdminOptions): Promise<FakeLrsAdmin> {
  const statements = [...options.held];
  const personas = new Map<string, HeldAccount>(options.held.map((a) => [randomUUID(), a]));
  const refusals: string[] = [];
  const tokens = new Set<string>();
  const same = (a: HeldAccount, homePage: unknown, name: unknown) => a.homePage === homePage && a.name === name;
  const dropStatements = (homePage: unknown, name: unknown) => {
    for (let i = statements.length - 1; i >= 0; i -= 1) if (same(statements[i]!, homePage, name)) statements.splice(i, 1);
  };
  const basic = `Basic ${Buffer.from(`${options.username}:${options.password}`).toString('base64')}`;

  const sqlLrs: Record<string, Handler> = {
    'POST /admin/account/login': (_req, res, _url, body) => {
      const { username, password } = JSON.parse(body) as { username?: string; password?: string };
      if (username !== options.username || password !== options.password) return refuse(res, 401, 'login with wrong credentials');
      const token = randomUUID();
      tokens.add(token);
      send(res, 200, { 'account-id': randomUUID(), 'json-web-token': token });
    },
    'DELETE /admin/agents': (req, res, _url, body) => {
      if (!tokens.has((req.headers.authorization ?? '').replace(/^Bearer /, ''))) return refuse(res, 401, 'delete without a valid token');
      if (options.deleteActorEnabled === false) return refuse(res, 404, 'actor deletion is turned off');
      const ifi = (JSON.parse(body) as { 'actor-ifi'?: string })['actor-ifi'] ?? '';
      const match = /^account::(.*)@(https?:\/\/.+)$/.exec(ifi);
      if (match === null) return refuse(res, 400, 'not an account IFI');
      dropStatements(match[2], match[1]);
      send(res, 200, { 'actor-ifi': ifi });
    },
  };
  const learningLocker: Record<string, Handler> = {
    'GET /api/v2/personaidentifier': (_req, res, url) => {
      const filter = JSON.parse(url.searchParams.get('filter') ?? '{}') as Record<string, unknown>;
      const found = [...personas].filter(([, a]) => filter['ifi.key'] === 'account' && same(a, filter['ifi.value.homePage'], filter['ifi.value.name']));
      send(res, 200, found.map(([id, a]) => ({ _id: randomUUID(), persona: id, ifi: { key: 'account', value: a } })));
    },
    'POST /api/v2/batchdelete/initialise': (_req, res, _url, body) => {
      const { filter } = JSON.parse(body) as { filter?: Record<string, unknown> };
      if (filter === undefined || Object.keys(filter).length === 0) return refuse(res, 400, 'a batch delete without a filter');
      dropStatements(filter['statement.actor.account.homePage'], filter['statement.actor.account.name']);
      send(res, 200, { _id: randomUUID(), done: false });
    },
  };

  function refuse(res: ServerResponse, status: number, why: string): void {
    refusals.push(why);
    send(res, status, { error: why });
  }

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const body = await readBody(req);
    if (options.kind === 'learning-locker') {
      if (req.headers.authorization !== basic) return refuse(res, 401, 'wrong client credentials');
      const persona = /^\/api\/v2\/persona\/([^/]+)$/.exec(url.pathname);
      if (req.method === 'DELETE' && persona !== null) {
        if (!personas.delete(decodeURIComponent(persona[1]!))) return refuse(res, 404, 'no such persona');
        res.writeHead(204).end();
        return;
      }
    }
    const handler = (options.kind === 'sql-lrs' ? sqlLrs : learningLocker)[`${req.method} ${url.pathname}`];
    if (handler === undefined) return refuse(res, 404, `no route ${req.method} ${url.pathname}`);
    handler(req, res, url, body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    origin: `http://127.0.0.1:${port}`, statements, personas, refusals,
    close: () => new Promise((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}
