/** `serve`: the service until SIGTERM or SIGINT, then a graceful stop and exit 0. */
import { openConfiguredDatabase } from '../../configured.js';
import { configAndLogger, type CliIo } from '../context.js';

export async function serve(io: CliIo): Promise<void> {
  const { config, logger } = configAndLogger(io);
  // The database opens (a new one is unpacked on libuv's threads) while the service's
  // modules load: a first start gains about 0.3 s.
  const opening = openConfiguredDatabase(config);
  opening.catch(() => undefined); // awaited by startService; an unhandled rejection meanwhile would end the process
  const { startService } = await import('../../service.js');
  const service = await startService(config, logger, opening);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    const stop = (received: NodeJS.Signals) => {
      process.off('SIGTERM', stop).off('SIGINT', stop);
      resolve(received);
    };
    process.once('SIGTERM', stop).once('SIGINT', stop);
  });
  logger.info({ signal }, 'stopping');
  await service.stop();
}
