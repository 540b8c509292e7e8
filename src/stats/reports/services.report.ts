import { districtDimension, monthDimension } from '../dimensions';
import type { ReportDefinition, RowSpec } from '../report-table';

/** The local midnight of the day a use began: its period and month (a stay across 31 March counts in March). */
const BEGAN = `(u.start_date::timestamp AT TIME ZONE :tz)`;

/**
 * Services used per period (api.md, "Statistics"; docs/domain.md, "The
 * services report"): `counts` are the uses (利用延べ回数); beside them the
 * households that used the service (利用世帯数: siblings' cases share one),
 * the persons served (延べ人数), nights and hours. Cancelled uses count
 * nowhere. Rows are every service of the city's list, retired ones
 * included; district is the case's current one.
 */
export const servicesReport: ReportDefinition = {
  name: 'services',
  title: { ja: '支援サービスの利用実績', en: 'Services used' },
  defaultBy: ['service'],
  dimensions: {
    service: {
      label: { ja: 'サービス', en: 'Service' },
      sql: 'u.service_code',
      // The services list is data (the city adds its own), read in list order.
      async rows(ctx): Promise<RowSpec[]> {
        const rows = (await ctx.m.query(`SELECT code, label_ja, label_en FROM services ORDER BY sort_order, code`)) as {
          code: string;
          label_ja: string;
          label_en: string;
        }[];
        return rows.map((r) => ({ code: r.code, label: { ja: r.label_ja, en: r.label_en } }));
      },
    },
    district: districtDimension,
    month: monthDimension(BEGAN),
  },
  values: {
    householdCounts: {
      sql: 'c.household_id',
      aggregate: 'count_distinct',
      label: { ja: '利用世帯数', en: 'Households' },
    },
    personCounts: { sql: 'u.persons', aggregate: 'sum', label: { ja: '延べ人数', en: 'Persons (total)' } },
    nights: { sql: 'u.nights', aggregate: 'sum', label: { ja: '延べ泊数', en: 'Nights' } },
    hours: { sql: 'u.hours', aggregate: 'sum', label: { ja: '延べ時間数', en: 'Hours' } },
  },
  filters: { districtId: { sql: 'c.district_id = :value' } },
  from: (periods, scope) => `FROM service_uses u
    JOIN cases c ON c.id = u.case_id
    JOIN ${periods} ON ${BEGAN} >= p.start_at AND ${BEGAN} < p.end_at
    WHERE u.status = 'recorded' AND ${scope}`,
};
