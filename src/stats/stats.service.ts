import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { allows, Actor } from '../access/policy';
import { AuditLog } from '../audit/audit.service';
import { scopedToCasesSql } from '../cases/case-records';
import { AppConfig } from '../core/config/app-config';
import { DomainError, FieldError } from '../core/errors/domain-error';
import type { StatsQuery } from './dto/stats.dto';
import { dateRangePeriod, FIRST_FISCAL_YEAR, fiscalYearPeriod, LAST_FISCAL_YEAR, Period } from './periods';
import { ReportDefinition, runReport, Table, TableRequest } from './report-table';
import { REPORTS, ReportName } from './reports';

/** The statistics parameters, checked against one report: what the engine runs. */
export interface ResolvedQuery {
  def: ReportDefinition;
  periods: Period[];
  request: TableRequest;
}

const MAX_RANGE_DAYS = 3700;

/**
 * Statistics (api.md, "Statistics and exports"): every figure counts only the
 * cases the policy lets the caller's statistics cover (`stats.read`, compiled
 * to SQL over the case exactly as the case lists are), and every query is
 * audited with its parameters.
 */
@Injectable()
export class StatsService {
  constructor(
    private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly audit: AuditLog,
  ) {}

  async query(actor: Actor, report: ReportName, query: StatsQuery): Promise<Table> {
    const resolved = this.resolve(actor, report, query);
    return this.db.transaction(async (m) => {
      await this.audit.record(m, actor, {
        action: 'read',
        entityType: 'statistics',
        summary: { report, parameters: parametersOf(query) },
      });
      return this.table(m, actor, resolved);
    });
  }

  /** Runs a resolved query for the actor (the export job re-runs it as its creator). */
  table(m: EntityManager, actor: Actor, resolved: ResolvedQuery): Promise<Table> {
    return runReport(
      resolved.def,
      { m, actor, timeZone: this.config.TZ_BUSINESS, periods: resolved.periods },
      // The one scoped read path for case data (cases/case-records.ts), under the statistics' own permission.
      scopedToCasesSql(actor, 'stats.read'),
      resolved.request,
    );
  }

  /**
   * Checks the parameters against the report and the caller: a dimension,
   * sub-count or filter the report does not offer, or a district outside the
   * caller's statistics, is a 400 (never a silently empty table).
   */
  resolve(actor: Actor, report: ReportName, query: StatsQuery): ResolvedQuery {
    const def: ReportDefinition = REPORTS[report];
    const errors: FieldError[] = [];
    const periods = this.periods(query, errors);

    const offered = Object.keys(def.dimensions).filter((d) => !def.fixed?.includes(d));
    const by = query.by ? query.by.split(',') : def.defaultBy;
    for (const d of by) {
      if (!offered.includes(d)) errors.push({ field: 'by', message: `by must be among: ${offered.join(', ')}` });
    }
    if (new Set(by).size !== by.length) errors.push({ field: 'by', message: 'by names a dimension twice' });
    if (by.length === 0 && !def.fixed?.length) errors.push({ field: 'by', message: 'by needs one dimension' });

    const of = query.of ? query.of.split(',') : [];
    const subCounts = Object.keys(def.subCounts ?? {});
    for (const s of of) {
      if (!subCounts.includes(s)) {
        errors.push({
          field: 'of',
          message: subCounts.length
            ? `of must be among: ${subCounts.join(', ')}`
            : `the ${report} report has no sub-counts`,
        });
      }
    }
    if (new Set(of).size !== of.length) errors.push({ field: 'of', message: 'of names a sub-count twice' });

    const filters: Record<string, string> = {};
    for (const name of ['districtId', 'consultationType'] as const) {
      const value = query[name];
      if (value === undefined) continue;
      if (!def.filters?.[name]) errors.push({ field: name, message: `the ${report} report has no ${name} filter` });
      filters[name] = value;
    }
    if (query.districtId && !allows(actor, 'stats.read', { districtId: query.districtId })) {
      errors.push({ field: 'districtId', message: 'districtId must be a district your statistics cover' });
    }

    if (errors.length) throw DomainError.validation(errors);
    return { def, periods, request: { by, of, filters } };
  }

  private periods(query: StatsQuery, errors: FieldError[]): Period[] {
    const tz = this.config.TZ_BUSINESS;
    const range = query.from !== undefined || query.to !== undefined;
    if (query.fiscalYears !== undefined && range) {
      errors.push({ field: 'fiscalYears', message: 'give either fiscalYears or from and to, not both' });
      return [];
    }
    if (range) {
      if (query.from === undefined || query.to === undefined) {
        errors.push({ field: query.from === undefined ? 'from' : 'to', message: 'from and to go together' });
        return [];
      }
      const days = (Date.parse(query.to) - Date.parse(query.from)) / 86_400_000;
      if (days < 0) errors.push({ field: 'to', message: 'to must not be before from' });
      else if (days > MAX_RANGE_DAYS) errors.push({ field: 'to', message: 'a date range covers at most 10 years' });
      else if (query.from < '1989-01-08') errors.push({ field: 'from', message: 'from must be 1989-01-08 or later' });
      else return [dateRangePeriod(query.from, query.to, tz)];
      return [];
    }
    if (query.fiscalYears === undefined) {
      errors.push({ field: 'fiscalYears', message: 'give fiscalYears (e.g. 2022,2023) or from and to' });
      return [];
    }
    const years = query.fiscalYears.split(',').map(Number);
    if (new Set(years).size !== years.length)
      errors.push({ field: 'fiscalYears', message: 'a fiscal year is named twice' });
    if (years.some((y) => y < FIRST_FISCAL_YEAR || y > LAST_FISCAL_YEAR)) {
      errors.push({
        field: 'fiscalYears',
        message: `fiscal years run from ${FIRST_FISCAL_YEAR} to ${LAST_FISCAL_YEAR}`,
      });
      return [];
    }
    return years.map((y) => fiscalYearPeriod(y, tz));
  }
}

/** The query as given, without absent fields: what the audit log and an export keep. */
export function parametersOf(query: StatsQuery): Record<string, string> {
  return Object.fromEntries(
    (['fiscalYears', 'from', 'to', 'by', 'of', 'districtId', 'consultationType'] as const)
      .filter((k) => query[k] !== undefined)
      .map((k) => [k, query[k] as string]),
  );
}
