import { Injectable, Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { ActorService } from '../access/actor.service';
import { roleAllows } from '../access/policy';
import { AppConfig } from '../core/config/app-config';
import { DomainError } from '../core/errors/domain-error';
import { JobHandler } from '../core/queue/job-handler.decorator';
import { JobName, JobPayloads } from '../core/queue/jobs';
import { JobQueue } from '../core/queue/job-queue.service';
import { tableToCsv } from './csv';
import { COLUMNS, ExportRow, exportJobId } from './exports.service';
import { REPORTS } from './reports';
import { StatsService } from './stats.service';

/**
 * The statistics export jobs (api.md): building a requested file on the
 * `reports` queue, and the sweep that deletes old files and re-queues lost
 * jobs. Requests and downloads are `StatsExports` (exports.service.ts).
 */
@Injectable()
export class StatsExportJobs {
  private readonly logger = new Logger('StatsExports');

  constructor(
    private readonly db: DataSource,
    private readonly stats: StatsService,
    private readonly actors: ActorService,
    private readonly jobs: JobQueue,
    private readonly config: AppConfig,
  ) {}

  /**
   * Builds the file. Runs once per export: a retry after a crash finds it
   * still queued or running and builds it again; a finished one is left
   * alone. What the creator may no longer see (a role or district taken
   * away) fails the export with the reason; a passing outage is retried.
   */
  @JobHandler(JobName.StatsExport)
  async build(payload: JobPayloads[JobName.StatsExport], job?: Job): Promise<void> {
    // UPDATE … RETURNING answers [rows, count].
    const [[exp]] = (await this.db.query(
      `UPDATE stats_exports SET status = 'running', started_at = now()
        WHERE id = $1 AND status IN ('queued', 'running') RETURNING ${COLUMNS}`,
      [payload.exportId],
    )) as [ExportRow[], number];
    if (!exp) return;
    try {
      const actor = await this.actors.current(exp.created_by, { ip: null, requestId: `job:${job?.id ?? ''}` });
      if (!actor || !roleAllows(actor, 'stats.read')) {
        throw DomainError.forbidden('The creator of the export may no longer read statistics');
      }
      const resolved = this.stats.resolve(actor, exp.report, exp.parameters);
      const madeAt = new Date();
      await this.db.transaction(async (m) => {
        const table = await this.stats.table(m, actor, resolved);
        const csv = tableToCsv(REPORTS[exp.report], table, madeAt, this.config.TZ_BUSINESS);
        const name = `${exp.report}-${table.periods.map((p) => p.key.replace('..', '_')).join('-')}.csv`;
        await m.query(
          `UPDATE stats_exports SET status = 'done', finished_at = $2, row_count = $3, file = $4, file_name = $5
            WHERE id = $1`,
          [exp.id, madeAt, csv.rowCount, csv.bytes, name],
        );
      });
    } catch (error) {
      const lastAttempt = !job || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (error instanceof DomainError || lastAttempt) {
        const reason =
          error instanceof DomainError
            ? (error.extra.errors?.map((e) => `${e.field}: ${e.message}`).join('; ') ?? error.detail)
            : 'The export could not be built; try again';
        await this.db.query(
          `UPDATE stats_exports SET status = 'failed', finished_at = now(), error = $2 WHERE id = $1`,
          [exp.id, reason],
        );
        if (error instanceof DomainError) return;
      }
      throw error;
    }
  }

  /**
   * The exports' part of the maintenance sweep: files past their 7 days are
   * deleted, and an export still waiting a minute after it was asked for
   * (its job lost with Redis) is queued again under the same job id.
   */
  @JobHandler(JobName.StatsExportSweep)
  async sweep(): Promise<{ deleted: number; requeued: number }> {
    const [, deleted] = (await this.db.query(`DELETE FROM stats_exports WHERE expires_at <= now()`)) as [
      unknown[],
      number,
    ];
    const waiting = (await this.db.query(
      `SELECT id FROM stats_exports WHERE status IN ('queued', 'running') AND created_at < now() - interval '1 minute'`,
    )) as { id: string }[];
    for (const { id } of waiting) {
      await this.jobs.add(JobName.StatsExport, { exportId: id }, { jobId: exportJobId(id) });
    }
    if (deleted + waiting.length > 0) this.logger.log(`export sweep: deleted ${deleted}, requeued ${waiting.length}`);
    return { deleted, requeued: waiting.length };
  }
}
