/**
 * Progress of long commands: a bar on a terminal, a structured log line every few
 * seconds otherwise (DESIGN.md invariant 5).
 */
import cliProgress from 'cli-progress';
import type { Logger } from 'pino';

/** Reports a running count. */
export interface Progress {
  update(done: number, detail?: Record<string, number>): void;
  stop(): void;
}

const LOG_EVERY_MS = 5000;

/**
 * A progress reporter for `what` (e.g. "statements read"), with `total` when known.
 * @example const p = startProgress('statements read', logger); p.update(n); p.stop();
 */
export function startProgress(what: string, logger: Logger, total?: number): Progress {
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: total ? `${what} [{bar}] {value}/{total} {percentage}% {eta_formatted}` : `${what}: {value} {detail}`,
        stream: process.stderr,
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total ?? 0, 0, { detail: '' });
    return {
      update: (done, detail) => bar.update(done, { detail: detail ? JSON.stringify(detail) : '' }),
      stop: () => bar.stop(),
    };
  }
  let last = Date.now();
  let latest = 0;
  return {
    update(done, detail) {
      latest = done;
      if (Date.now() - last < LOG_EVERY_MS) return;
      last = Date.now();
      logger.info({ progress: what, done, total, ...detail }, 'progress');
    },
    stop() {
      logger.info({ progress: what, done: latest, total }, 'progress done');
    },
  };
}
