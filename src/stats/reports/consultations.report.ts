import { CODE_LISTS, CONSULTATION_TYPE_TREE, parentTypeOf, type ConsultationTypeCode } from '../../codes/code-lists';
import { codeDimension, codeRows, districtDimension, flagDimension, monthDimension } from '../dimensions';
import type { Dimension, ReportDefinition, RowSpec } from '../report-table';

/** Consultation type as the report's two-level tree (parents with their children beneath). */
const TYPE_ROWS: RowSpec[] = CONSULTATION_TYPE_TREE.map((node) => ({
  code: node.code,
  label: node.label,
  ...(node.children.length ? { children: codeRows(node.children) } : {}),
}));
const TYPE_PARENT_SQL = `CASE x.consultation_type ${CONSULTATION_TYPE_TREE.flatMap((node) =>
  node.children.map((child) => `WHEN '${child.code}' THEN '${node.code}'`),
).join(' ')} ELSE x.consultation_type END`;

/** The codes a consultation may record that fall under a type of either level (`protection` → abuse, protection_other). */
export function typeCodesUnder(code: ConsultationTypeCode): string[] {
  const node = CONSULTATION_TYPE_TREE.find((n) => n.code === code);
  if (node && node.children.length) return node.children.map((c) => c.code);
  return parentTypeOf(code) ? [code] : [];
}

const counselorDimension: Dimension = {
  label: { ja: '相談員', en: 'Counselor' },
  sql: 'x.counselor_id',
  /** Every counselor, and anyone else who recorded a consultation counted here, by name. */
  async rows(ctx) {
    const users = (await ctx.m.query(
      `SELECT id, display_name FROM users WHERE 'counselor' = ANY(roles) OR id = ANY($1::uuid[])
        ORDER BY display_name, id`,
      [[...ctx.seen].filter((id) => id !== null)],
    )) as { id: string; display_name: string }[];
    return users.map((u) => ({ code: u.id, label: { ja: u.display_name, en: u.display_name } }));
  },
};

/**
 * Consultations (相談件数) by the national report's categories, counted on
 * the consultation's time in TZ_BUSINESS. `dv`, `young_carer` and the council
 * registrations are the case's current flags (api.md).
 */
export const consultationsReport: ReportDefinition = {
  name: 'consultations',
  title: { ja: '相談件数', en: 'Consultations' },
  defaultBy: ['type'],
  dimensions: {
    channel: codeDimension({ ja: '相談方法', en: 'Channel' }, 'x.channel', CODE_LISTS.channels),
    type: {
      label: { ja: '相談種別', en: 'Type' },
      sql: 'x.consultation_type',
      parentSql: TYPE_PARENT_SQL,
      rows: () => TYPE_ROWS,
    },
    route: codeDimension({ ja: '相談経路', en: 'Route' }, 'x.route', CODE_LISTS.routes),
    district: districtDimension,
    month: monthDimension('x.occurred_at'),
    counselor: counselorDimension,
    // The first abuse type recorded is the main one (主たる虐待種別), so the rows add up to the total.
    abuseType: codeDimension({ ja: '虐待種別', en: 'Abuse type' }, 'x.abuse_types[1]', CODE_LISTS.abuseTypes, {
      nullable: true,
    }),
    mainAbuser: codeDimension(
      { ja: '主たる虐待者', en: 'Main abuser' },
      'x.main_abuser',
      CODE_LISTS.mainAbuserRelations,
      { nullable: true },
    ),
    // The child's age band on the consultation's local date (domain.md); none for a pregnancy case's mother.
    ageBand: codeDimension(
      { ja: '年齢区分', en: 'Age band' },
      `CASE WHEN c.subject_kind = 'child' THEN stats_age_band(
         (SELECT s.birth_date FROM persons s WHERE s.id = c.subject_id), (x.occurred_at AT TIME ZONE :tz)::date) END`,
      CODE_LISTS.ageBands,
      { nullable: true },
    ),
    afterHours: flagDimension(
      { ja: '時間外', en: 'After hours' },
      'x.after_hours',
      { ja: '時間外', en: 'After hours' },
      { ja: '開所時間内', en: 'During office hours' },
    ),
  },
  subCounts: {
    abuse: { label: { ja: '内 児童虐待', en: 'of which abuse' }, sql: `x.consultation_type = 'abuse'` },
    abuse_notification: {
      label: { ja: '内 虐待通告', en: 'of which abuse notifications' },
      sql: 'x.abuse_notification',
    },
    dv: { label: { ja: '内 DV', en: 'of which DV' }, sql: 'c.dv_involved' },
    young_carer: { label: { ja: '内 ヤングケアラー', en: 'of which young carers' }, sql: 'c.young_carer' },
    bullying: { label: { ja: '内 いじめ', en: 'of which bullying' }, sql: 'x.bullying' },
    protection_needed: {
      label: { ja: '内 要保護児童', en: 'of which protection needed' },
      sql: `c.protection = 'protection_needed'`,
    },
    support_needed: {
      label: { ja: '内 要支援児童', en: 'of which support needed' },
      sql: `c.protection = 'support_needed'`,
    },
    specified_expectant_mother: {
      label: { ja: '内 特定妊婦', en: 'of which specified expectant mothers' },
      sql: `c.protection = 'specified_expectant_mother'`,
    },
    after_hours: { label: { ja: '内 時間外', en: 'of which after hours' }, sql: 'x.after_hours' },
  },
  filters: {
    districtId: { sql: 'c.district_id = :value' },
    consultationType: {
      sql: 'x.consultation_type = ANY(:value)',
      value: (code) => typeCodesUnder(code as ConsultationTypeCode),
    },
  },
  from: (periods, scope) => `FROM consultations x
    JOIN cases c ON c.id = x.case_id
    JOIN ${periods} ON x.occurred_at >= p.start_at AND x.occurred_at < p.end_at
    WHERE ${scope}`,
};
