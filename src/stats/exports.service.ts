import { Injectable, Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { ActorService } from '../access/actor.service';
import { Actor, roleAllows } from '../access/policy';
import { AuditLog } from '../audit/audit.service';
import { AppConfig } from '../core/config/app-config';
import { DomainError } from '../core/errors/domain-error';
import { JobHandler } from '../core/queue/job-handler.decorator';
import { JobName, JobPayloads } from '../core/queue/jobs';
import { Outbox } from '../core/queue/outbox';
import { JobQueue } from '../core/queue/job-queue.service';
import { tableToCsv } from './csv';
import type { CreateExportDto, StatsExportDto, StatsQuery } from './dto/stats.dto';
import { REPORTS, ReportName } from './reports';
import { parametersOf, StatsService } from './stats.service';

/** How long a file is kept (api.md). */
export const EXPORT_KEEP_DAYS = 7;

const exportJobId = (id: string) => `stats-export.${id}`;

interface ExportRow {
  id: string;
  report: ReportName;
  parameters: StatsQuery;
  status: StatsExportDto['status'];
  created_by: string;
  created_at: Date;
  finished_at: Date | null;
  row_count: number | null;
  error: string | null;
  expires_at: Date;
}

const view = (r: ExportRow): StatsExportDto => ({
  id: r.id,
  report: r.report,
  status: r.status,
  createdAt: r.created_at,
  finishedAt: r.finished_at,
  rowCount: r.row_count,
  error: r.error,
  expiresAt: r.expires_at,
});

const COLUMNS = 'id, report, parameters, status, created_by, created_at, finished_at, row_count, error, expires_at';

/**
 * Statistics exports (api.md): a request is checked and stored with a job in
 * the outbox (one transaction, so the job cannot be lost); the job on the
 * `reports` queue builds the table as its creator would see it now, writes
 * the CSV into PostgreSQL, and only the creator may fetch it, for 7 days.
 * Creating and fetching are audited with the parameters.
 */
@Injectable()
export class StatsExports {
  private readonly logger = new Logger('StatsExports');

  constructor(
    private readonly db: DataSource,
    private readonly stats: StatsService,
    private readonly actors: ActorService,
    private readonly audit: AuditLog,
    private readonly outbox: Outbox,
    private readonly jobs: JobQueue,
    private readonly config: AppConfig,
  ) {}

  async create(actor: Actor, dto: CreateExportDto): Promise<StatsExportDto> {
    const { report, format, ...query } = dto;
    // Bad parameters are a 400 now, not a failed export later.
    this.stats.resolve(actor, report, query);
    const parameters = parametersOf(query);
    return this.db.transaction(async (m) => {
      const [row] = (await m.query(
        `INSERT INTO stats_exports (report, parameters, format, status, created_by, expires_at)
         VALUES ($1, $2, $3, 'queued', $4, now() + make_interval(days => $5)) RETURNING ${COLUMNS}`,
        [report, JSON.stringify(parameters), format, actor.userId, EXPORT_KEEP_DAYS],
      )) as ExportRow[];
      await this.outbox.add(m, [
        { job: JobName.StatsExport, jobId: exportJobId(row.id), payload: { exportId: row.id } },
      ]);
      await this.audit.record(m, actor, {
        action: 'export',
        entityType: 'statistics',
        entityId: row.id,
        summary: { report, format, parameters },
      });
      return view(row);
    });
  }

  /** An export's state; only its creator sees it (anyone else: 404, as if it did not exist). */
  async get(actor: Actor, id: string): Promise<StatsExportDto> {
    return view(await this.own(actor, id));
  }

  async file(actor: Actor, id: string): Promise<{ name: string; bytes: Buffer }> {
    await this.own(actor, id);
    return this.db.transaction(async (m) => {
      const [row] = (await m.query(
        `SELECT status, file, file_name FROM stats_exports WHERE id = $1 AND expires_at > now()`,
        [id],
      )) as { status: string; file: Buffer | null; file_name: string | null }[];
      if (!row) throw DomainError.notFound('Export');
      if (row.status !== 'done' || !row.file) {
        throw new DomainError('conflict', `The export is ${row.status}; its file is not ready`, {
          status: row.status,
        });
      }
      await this.audit.record(m, actor, { action: 'read', entityType: 'statistics_export', entityId: id });
      return { name: row.file_name!, bytes: row.file };
    });
  }

  private async own(actor: Actor, id: string): Promise<ExportRow> {
    const [row] = (await this.db.query(
      `SELECT ${COLUMNS} FROM stats_exports WHERE id = $1 AND created_by = $2 AND expires_at > now()`,
      [id, actor.userId],
    )) as ExportRow[];
    if (!row) throw DomainError.notFound('Export');
    return row;
  }

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
