/** `serve`: the service until SIGTERM or SIGINT, then a graceful stop and exit 0. */
import { loadConfig } from '../../config/index.js';
import { createLogger } from '../../logger.js';
import { startService } from '../../service.js';

export async function serve(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const service = await startService(config, logger);
  const stop = (signal: string) => {
    logger.info({ signal }, 'stopping');
    service.stop().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGTERM', stop).once('SIGINT', stop);
}
