/** `serve`: the service until SIGTERM or SIGINT, then a graceful stop and exit 0. */
import { startService } from '../../service.js';
import { configAndLogger, type CliIo } from '../context.js';

export async function serve(io: CliIo): Promise<void> {
  const { config, logger } = configAndLogger(io);
  const service = await startService(config, logger);
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
