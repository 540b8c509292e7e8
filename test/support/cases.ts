import { call, TestUser } from './fixtures';
import type { TestApp } from './test-app';

let counter = 0;
const KANA = 'アイウエオカキクケコ';
/** A kana suffix unique to n, so every generated child differs from the others. */
const uniqueKana = (n: number) => [...String(n)].map((d) => KANA[Number(d)]).join('');

/** An intake body; every call names a different child unless told otherwise. */
export function intakeBody(
  overrides: { subject?: object; household?: object; consultation?: object; [k: string]: unknown } = {},
) {
  counter += 1;
  const { subject, household, consultation, ...rest } = overrides;
  return {
    subject: {
      familyName: '田中',
      givenName: `花子${counter}`,
      familyNameKana: 'タナカ',
      givenNameKana: `ハナコ${uniqueKana(counter)}`,
      birthDate: '2018-05-10',
      sex: 'female',
      school: '中央小学校',
      kind: 'child',
      ...subject,
    },
    household: {
      address: '岡山市中央一丁目1-1',
      members: [
        {
          relationship: 'mother',
          familyName: '田中',
          givenName: '良子',
          familyNameKana: 'タナカ',
          givenNameKana: 'ヨシコ',
        },
      ],
      ...household,
    },
    consultation: {
      occurredAt: '2026-06-01T10:00:00+09:00',
      channel: 'phone',
      route: 'school',
      consultationType: 'school_refusal',
      durationMinutes: 30,
      summary: '登校しぶりについて学校から相談。',
      ...consultation,
    },
    ...rest,
  };
}

export async function openCase(t: TestApp, user: TestUser, overrides: Parameters<typeof intakeBody>[0] = {}) {
  const res = await call(t, user, { method: 'POST', url: '/api/v1/intakes', payload: intakeBody(overrides) });
  if (res.statusCode !== 201) throw new Error(`intake failed: ${res.statusCode} ${res.body}`);
  return res.json<{
    case: { id: string; number: string; version: number; districtId: string | null };
    consultation: { id: string };
  }>();
}

/** Puts a case where a test needs it, straight in the database. */
export async function setCase(t: TestApp, id: string, values: Record<string, unknown>) {
  const entries = Object.entries(values);
  const sets = entries.map(([k], i) => `${k} = $${i + 2}`).join(', ');
  await t.db.query(`UPDATE cases SET ${sets} WHERE id = $1`, [id, ...entries.map(([, v]) => v)]);
}
