/**
 * Sends claimed rows to the LRS and decides how each row settles (DESIGN.md
 * invariant 3). A batch that the LRS refuses as a whole (400, 409, 413) is halved until
 * the statements at fault are isolated, so one bad statement never holds back the rest.
 */
import type { LrsClient, PostOutcome } from './client.js';
import type { ClaimedRow, Settlement } from './outbox.js';

/** Rows that share one settlement. */
export interface SettledGroup {
  rows: ClaimedRow[];
  settlement: Settlement;
}

/** The LRS refused the gateway's credentials or address: nothing can be sent. */
export class LrsMisconfiguredError extends Error {
  override readonly name = 'LrsMisconfiguredError';
  readonly code = 'lrs_misconfigured';
}

/** What one delivery did: settlements per group, requests made, and a smaller batch size if the LRS asked for one. */
export interface DeliveryResult {
  groups: SettledGroup[];
  requests: number;
  /** Set after a 413: the largest batch the LRS accepted. */
  acceptedBatchSize?: number;
}

/** Serializes rows as one JSON array without parsing them again. */
export function batchBody(rows: readonly ClaimedRow[]): string {
  return `[${rows.map((r) => r.json).join(',')}]`;
}

/**
 * Delivers `rows` in one POST, splitting on whole-batch refusals.
 * @throws LrsMisconfiguredError on 401, 403, 404, 405 (the rows are left claimed for the caller to release)
 */
export async function deliverRows(client: Pick<LrsClient, 'postStatements'>, rows: ClaimedRow[]): Promise<DeliveryResult> {
  const result: DeliveryResult = { groups: [], requests: 0 };
  await send(client, rows, result);
  return result;
}

async function send(client: Pick<LrsClient, 'postStatements'>, rows: ClaimedRow[], result: DeliveryResult): Promise<void> {
  const outcome: PostOutcome = await client.postStatements(batchBody(rows));
  result.requests += 1;
  switch (outcome.kind) {
    case 'stored':
      result.groups.push({ rows, settlement: { state: 'sent' } });
      if (result.acceptedBatchSize !== undefined) result.acceptedBatchSize = Math.max(result.acceptedBatchSize, rows.length);
      return;
    case 'retry':
      result.groups.push({
        rows,
        settlement: {
          state: 'retry',
          reason: outcome.detail,
          ...(outcome.retryAfterMs !== undefined && { notBefore: new Date(Date.now() + outcome.retryAfterMs) }),
        },
      });
      return;
    case 'misconfigured':
      throw new LrsMisconfiguredError(outcome.detail);
    case 'conflict':
    case 'rejected':
      if (rows.length === 1) {
        result.groups.push({ rows, settlement: { state: outcome.kind === 'conflict' ? 'conflict' : 'dead', reason: outcome.detail } });
        return;
      }
      return split(client, rows, result);
    case 'too-large':
      if (rows.length === 1) {
        result.groups.push({ rows, settlement: { state: 'dead', reason: '413 the LRS refuses this statement as too large' } });
        return;
      }
      result.acceptedBatchSize = Math.min(result.acceptedBatchSize ?? rows.length, Math.ceil(rows.length / 2));
      return split(client, rows, result);
  }
}

async function split(client: Pick<LrsClient, 'postStatements'>, rows: ClaimedRow[], result: DeliveryResult): Promise<void> {
  const middle = Math.ceil(rows.length / 2);
  await send(client, rows.slice(0, middle), result);
  await send(client, rows.slice(middle), result);
}
