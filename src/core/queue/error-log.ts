import type { Logger } from '@nestjs/common';

const QUIET_MS = 10_000;

/**
 * An 'error' listener for a BullMQ queue or worker that logs through the
 * service's logger. Without one, BullMQ prints each connection error as a
 * raw multi-line console.error dump (about 8 a second while Redis is away);
 * with this, one line per queue and message, then at most one every 10 s;
 * `suppressed` on a line counts those left out since the line before.
 */
export function queueErrorLog(logger: Logger, queue: string, what: 'queue' | 'worker'): (err: Error) => void {
  let last = '';
  let lastAt = 0;
  let suppressed = 0;
  return (err: Error) => {
    const now = Date.now();
    if (err.message === last && now - lastAt < QUIET_MS) {
      suppressed += 1;
      return;
    }
    logger.error({ queue, err: err.message, ...(suppressed > 0 ? { suppressed } : {}) }, `${what} error`);
    last = err.message;
    lastAt = now;
    suppressed = 0;
  };
}
