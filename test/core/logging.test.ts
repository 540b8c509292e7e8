import { Logger, LoggerService } from '@nestjs/common';
import { QuietStartLogger } from '../../src/core/logging/quiet-start-logger';
import { queueErrorLog } from '../../src/core/queue/error-log';

/** A logger that keeps what it is told, at which level. */
class Kept implements LoggerService {
  lines: { level: string; args: unknown[] }[] = [];
  log = (...args: unknown[]) => void this.lines.push({ level: 'log', args });
  error = (...args: unknown[]) => void this.lines.push({ level: 'error', args });
  warn = (...args: unknown[]) => void this.lines.push({ level: 'warn', args });
  debug = (...args: unknown[]) => void this.lines.push({ level: 'debug', args });
  verbose = (...args: unknown[]) => void this.lines.push({ level: 'verbose', args });
}

describe('quiet start-up logging (issue 12, part 4)', () => {
  it("puts Nest's module and route lines at debug and passes everything else", () => {
    const kept = new Kept();
    const logger = new QuietStartLogger(kept);
    logger.log('Mapped {/api/v1/cases, GET} route', 'RouterExplorer');
    logger.log('CasesModule dependencies initialized', 'InstanceLoader');
    logger.log('Nest application successfully started', 'NestApplication');
    logger.log({ version: '0.1.0' }, 'Tsunagu api started', 'Tsunagu');
    logger.warn('slow', 'Worker');
    logger.error('boom', 'stack', 'RouterExplorer');
    expect(kept.lines.map((l) => l.level)).toEqual(['debug', 'debug', 'debug', 'log', 'warn', 'error']);
  });
});

describe('BullMQ errors through the logger (issue 12, part 4)', () => {
  it('logs one line per queue and message, then the count left out after 10 s', () => {
    const kept = new Kept();
    const logger = new Logger('Queue');
    Logger.overrideLogger(kept);
    const now = jest.spyOn(Date, 'now');
    try {
      const onError = queueErrorLog(logger, 'tasks', 'queue');
      now.mockReturnValue(1_000);
      for (let i = 0; i < 8; i += 1) onError(new Error('connect ECONNREFUSED 127.0.0.1:6379'));
      onError(new Error('READONLY You cannot write against a read only replica.'));
      now.mockReturnValue(12_000);
      onError(new Error('READONLY You cannot write against a read only replica.'));
      onError(new Error('READONLY You cannot write against a read only replica.'));
      now.mockReturnValue(23_000);
      onError(new Error('READONLY You cannot write against a read only replica.'));
    } finally {
      now.mockRestore();
      Logger.overrideLogger(false);
    }
    const errors = kept.lines.filter((l) => l.level === 'error').map((l) => l.args[0]);
    expect(errors).toEqual([
      { queue: 'tasks', err: 'connect ECONNREFUSED 127.0.0.1:6379' },
      // `suppressed`: how many were left out since the line before (the seven repeats above).
      { queue: 'tasks', err: 'READONLY You cannot write against a read only replica.', suppressed: 7 },
      { queue: 'tasks', err: 'READONLY You cannot write against a read only replica.' },
      { queue: 'tasks', err: 'READONLY You cannot write against a read only replica.', suppressed: 1 },
    ]);
  });
});
