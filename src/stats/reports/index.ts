import type { ReportDefinition } from '../report-table';
import { casesReport } from './cases.report';
import { consultationsReport } from './consultations.report';
import { referralsReport } from './referrals.report';
import { safetyChecksReport } from './safety-checks.report';
import { servicesReport } from './services.report';

/**
 * Every report, by the name exports use (`report` of POST /stats/exports).
 * A new report is one file here and one line below; see docs/statistics.md.
 */
export const REPORTS = {
  consultations: consultationsReport,
  cases: casesReport,
  referrals: referralsReport,
  safety_checks: safetyChecksReport,
  services: servicesReport,
} satisfies Record<string, ReportDefinition>;

export type ReportName = keyof typeof REPORTS;
export const REPORT_NAMES = Object.keys(REPORTS) as ReportName[];
