import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

/**
 * style.md, from Twenty: scope cannot be forgotten. Case data is read through
 * one path, src/cases/case-records.ts: `scopedToCases` / `readableCases` (the
 * cases an actor may see, as SQL), `CaseRecords.load` (one record, checked),
 * `CaseRecords.page` (a list: keyset page, every read audited). This test
 * finds every file that touches the tables of case data and fails on one
 * that is not listed below with the reason it may, and on a list query
 * (getMany and friends) anywhere but the read path and the system's sweeps.
 * A new module (statistics, exports) reading cases builds its query on
 * `scopedToCases` and pages it with `CaseRecords.page`; it is added here with
 * its reason, where a reviewer sees it.
 */
const READERS: Record<string, string> = {
  'cases/case-records.ts': 'the read path itself',
  'cases/cases.service.ts': 'owner: lists through CaseRecords.page, loads through CaseRecords.load, writes its cases',
  'cases/consultations.service.ts': 'owner: consultations of a case loaded through CaseRecords.load',
  'cases/case-timeline.ts': "owner: appends a line to a case's timeline for another module (no read)",
  'cases/siblings.ts':
    "a case's household's other cases, scoped by scopedToCases (a short list inside one case's view)",
  'cases/intake.service.ts':
    'owner: opens cases; the duplicate check names only cases the caller may read (others: a match token), by design',
  'tasks/tasks.service.ts': 'owner of tasks: lists through scopedToCases + CaseRecords.page, loads then authorizes',
  'tasks/conferences.service.ts': 'owner of conferences: on a case loaded through CaseRecords.load',
  'tasks/task-factory.ts': 'owner of tasks: inserts them',
  'tasks/follow-up-rules.ts': 'system rule inside the change that triggers it (counts review tasks)',
  'tasks/safety-checks.ts': 'system rule (48-hour rule): who owns a safety check, inside the change that raises it',
  'tasks/task-handover.ts': 'system rule on staffing events: moves open tasks of someone who can no longer do them',
  'tasks/task.jobs.ts': 'job handler: the system re-reads a task under lock (jobs.md), no actor',
  'tasks/reconciler.jobs.ts': 'reconciliation sweep: the system, no actor, ids and due times only',
  'referrals/referrals.service.ts':
    'owner of referrals: lists through scopedToCases + CaseRecords.page, loads then authorizes',
  'referrals/referral-deadlines.jobs.ts': 'job handler: the system re-reads a referral under lock, no actor',
  'record/record.service.ts': 'the whole record (児童記録票) of one case loaded through CaseRecords.load',
  'plans/unplanned-cases.jobs.ts': 'sweep job: the system looks for active cases without an approved plan, no actor',
  'households/household-matches.ts': "intake's family check: names only cases readableCases(actor) admits; audited",
  'plans/plans.service.ts': 'owner of support plans: the plans of a case loaded through CaseRecords.load',
  'plans/service-uses.service.ts': 'owner of service uses: the uses of a case loaded through CaseRecords.load',
  'households/contacts.service.ts': 'contacts and moves of a case loaded through CaseRecords.load',
  'stats/reports/consultations.report.ts':
    "statistics facts: aggregates only, runReport scopes them by scopedToCasesSql(actor, 'stats.read')",
  'stats/reports/cases.report.ts':
    "statistics facts: aggregates only, runReport scopes them by scopedToCasesSql(actor, 'stats.read')",
  'stats/reports/referrals.report.ts':
    "statistics facts: aggregates only, runReport scopes them by scopedToCasesSql(actor, 'stats.read')",
  'stats/reports/safety-checks.report.ts':
    "statistics facts: aggregates only, runReport scopes them by scopedToCasesSql(actor, 'stats.read')",
  'stats/reports/services.report.ts':
    "statistics facts: aggregates only, runReport scopes them by scopedToCasesSql(actor, 'stats.read')",
};

/** Where a list query over case data may run: the read path, and the system's sweeps and rules (no actor to scope by). */
const LISTS = new Set([
  'cases/case-records.ts',
  'cases/siblings.ts',
  'households/household-matches.ts',
  'tasks/reconciler.jobs.ts',
  'tasks/task-handover.ts',
]);

const TABLES =
  'contact_points|household_addresses|cases|consultations|persons|households|household_members|case_events|tasks|referrals|referral_events|conferences|support_plans|service_uses';
const ENTITIES = 'Case|Consultation|Person|Household|HouseholdMember|CaseEvent|Task|Referral';
const TOUCHES_CASE_DATA = new RegExp(
  [
    `\\b(FROM|JOIN)\\s+(${TABLES})\\b`,
    `getRepository\\((${ENTITIES})\\)`,
    `(innerJoin|leftJoin)\\w*\\((${ENTITIES})\\b`,
    `into\\((${ENTITIES})\\)`,
  ].join('|'),
);
const LIST_QUERY = /\.(getMany|getManyAndCount|getRawMany)\(/;

const SRC = resolve(__dirname, '../../src');
function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('case data is read through the one scoped path', () => {
  const sources = files(SRC).map((f) => ({ path: relative(SRC, f), text: readFileSync(f, 'utf8') }));
  const touching = sources.filter((f) => TOUCHES_CASE_DATA.test(f.text) && !f.path.endsWith('.entity.ts'));

  it('finds case tables touched only where the list above says why', () => {
    expect(touching.map((f) => f.path).filter((p) => !(p in READERS))).toEqual([]);
  });

  it('keeps the list honest: every listed file still touches case data', () => {
    const touched = new Set(touching.map((f) => f.path));
    expect(Object.keys(READERS).filter((p) => !touched.has(p))).toEqual([]);
  });

  it('runs list queries over case data only in the read path (CaseRecords.page) and the sweeps', () => {
    expect(touching.filter((f) => LIST_QUERY.test(f.text) && !LISTS.has(f.path)).map((f) => f.path)).toEqual([]);
  });
});
