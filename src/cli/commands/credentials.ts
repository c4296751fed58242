/** `credentials add|list|revoke`: the credentials of the embedded LRS kept in the database. */
import { CredentialStore } from '../../lrs/server/credential-store.js';
import { CodedError } from '../../errors.js';
import { printJson, withContext, type CliIo } from '../context.js';

export function add(io: CliIo, username: string, opts: { readOnly?: boolean; label?: string }): Promise<void> {
  return withContext(io, async ({ database }) => {
    const scope = opts.readOnly ? 'read' : 'read_write';
    const password = await new CredentialStore(database).add(username, scope, opts.label);
    printJson(io, { username, password, scope, note: 'the password is shown this once; only its hash is stored' });
  });
}

export function list(io: CliIo): Promise<void> {
  return withContext(io, async ({ database }) => {
    printJson(io, await new CredentialStore(database).list());
  });
}

export function revoke(io: CliIo, username: string): Promise<void> {
  return withContext(io, async ({ database }) => {
    if (!(await new CredentialStore(database).revoke(username))) throw new CodedError('not-found', `no active credential named ${username}; see credentials list`);
    printJson(io, { revoked: username });
  });
}
