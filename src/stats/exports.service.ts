import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Actor } from '../access/policy';
import { AuditLog } from '../audit/audit.service';
import { DomainError } from '../core/errors/domain-error';
import { JobName } from '../core/queue/jobs';
import { Outbox } from '../core/queue/outbox';
import type { CreateExportDto, StatsExportDto, StatsQuery } from './dto/stats.dto';
import { ReportName } from './reports';
import { parametersOf, StatsService } from './stats.service';

/** How long a file is kept (api.md). */
export const EXPORT_KEEP_DAYS = 7;

export const exportJobId = (id: string) => `stats-export.${id}`;

export interface ExportRow {
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

export const COLUMNS =
  'id, report, parameters, status, created_by, created_at, finished_at, row_count, error, expires_at';

/**
 * Statistics exports (api.md): a request is checked and stored with a job in
 * the outbox (one transaction, so the job cannot be lost); the job on the
 * `reports` queue (`StatsExportJobs`, exports.jobs.ts) builds the table as its
 * creator would see it now, writes the CSV into PostgreSQL, and only the
 * creator may fetch it, for 7 days. Creating and fetching are audited with
 * the parameters.
 */
@Injectable()
export class StatsExports {
  constructor(
    private readonly db: DataSource,
    private readonly stats: StatsService,
    private readonly audit: AuditLog,
    private readonly outbox: Outbox,
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
}
