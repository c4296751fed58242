/**
 * `flush`: delivers the outbox until nothing is due. Without LRS_ENDPOINT the target is
 * the embedded LRS, started in this process on a loopback port for the time of the
 * flush, so that delivery always goes over HTTP through the same client.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Config } from '../config/index.js';
import type { Database } from '../db/connection.js';
import { createApp } from '../app.js';
import { LrsClient } from '../lrs/client.js';
import { DeliveryStats, type FlushSummary } from '../lrs/delivery-stats.js';
import { Flusher } from '../lrs/flusher.js';
import type { Outbox } from '../lrs/outbox.js';
import { internalLrsUser } from '../configured.js';

/** Flushes once; resolves with the summary, rejects when the LRS refuses the gateway. */
export async function flushOnce(config: Config, deps: { database: Database; outbox: Outbox; logger: Logger }): Promise<FlushSummary> {
  const stats = new DeliveryStats();
  let server: Server | undefined;
  let client: LrsClient;
  if (config.lrsEndpoint) {
    client = new LrsClient({ endpoint: config.lrsEndpoint, username: config.lrsUsername, password: config.lrsPassword, timeoutMs: config.lrsTimeoutMs });
  } else {
    const user = internalLrsUser();
    const app = createApp({ ...deps, stats, lrsUsers: new Map([[user.username, user.password]]), bodyLimitBytes: config.bodyLimitBytes });
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const port = (server.address() as AddressInfo).port;
    client = new LrsClient({ endpoint: `http://127.0.0.1:${port}/xapi/`, ...user, timeoutMs: config.lrsTimeoutMs });
  }
  const flusher = new Flusher({
    ...deps, client, stats,
    batchSize: config.lrsBatchSize, leaseSeconds: config.outboxLeaseSeconds, keepSentDays: config.outboxKeepSentDays,
  });
  const stop = () => void flusher.stop();
  process.once('SIGINT', stop).once('SIGTERM', stop);
  try {
    return await flusher.flushUntilIdle();
  } finally {
    process.off('SIGINT', stop).off('SIGTERM', stop);
    if (server) await new Promise((resolve) => server.close(resolve));
  }
}
