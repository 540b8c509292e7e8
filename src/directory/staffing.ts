import type { EntityManager } from 'typeorm';
import type { FieldError } from '../core/errors/domain-error';

/**
 * Who is responsible (domain.md, "Districts"): the one place that answers
 * who leads a district, who supervises it, and who may be assigned work.
 * Memberships count only while open (the current_* views). Every answer
 * takes the caller's entity manager, so it reads inside their transaction.
 */

/** The active lead counselor of a district, if it has one. */
export async function districtLead(m: EntityManager, districtId: string | null): Promise<string | null> {
  if (!districtId) return null;
  const [row] = (await m.query(
    `SELECT dm.user_id FROM current_district_members dm JOIN users u ON u.id = dm.user_id
      WHERE dm.district_id = $1 AND dm.role = 'lead' AND u.active LIMIT 1`,
    [districtId],
  )) as { user_id: string }[];
  return row?.user_id ?? null;
}

/** The active current supervisors of a district (none for a case without a district). */
export async function districtSupervisors(m: EntityManager, districtId: string | null): Promise<string[]> {
  if (!districtId) return [];
  const rows = (await m.query(
    `SELECT s.user_id AS id FROM current_district_supervisors s JOIN users u ON u.id = s.user_id
      WHERE s.district_id = $1 AND u.active ORDER BY u.username`,
    [districtId],
  )) as { id: string }[];
  return rows.map((r) => r.id);
}

/** Every active supervisor of the center. */
export async function centerSupervisors(m: EntityManager): Promise<string[]> {
  const rows = (await m.query(`SELECT id FROM users WHERE active AND 'supervisor' = ANY(roles) ORDER BY username`)) as {
    id: string;
  }[];
  return rows.map((r) => r.id);
}

/**
 * Who supervises a case's district, and so hears of its alerts: its active
 * current supervisors. A case without a district, or in a district that no
 * active supervisor oversees (new, or everyone moved), is every supervisor's,
 * and every supervisor may open it (access/actor.service.ts).
 */
export async function supervisorsOf(m: EntityManager, districtId: string | null): Promise<string[]> {
  const own = await districtSupervisors(m, districtId);
  return own.length > 0 ? own : centerSupervisors(m);
}

/** Every active staff member (referral deadlines concern them all). */
export async function activeStaff(m: EntityManager): Promise<string[]> {
  const rows = (await m.query(`SELECT id FROM users WHERE active AND 'staff' = ANY(roles)`)) as { id: string }[];
  return rows.map((r) => r.id);
}

export interface Responsible {
  userId: string;
  /** Nobody of the case's own district could take it: a supervisor of the center did. */
  fallback: boolean;
}

/**
 * Who a case's rule-made work goes to (issue 10): the first active user of
 * the chain who can open the case and complete the task. The primary
 * counselor; the district lead, unless the case is confidential (a lead who
 * is not assigned cannot open it); a supervisor of the district (every
 * supervisor, for a case without a district); at last any supervisor of the
 * center (a fallback: a district nobody oversees is every supervisor's).
 * `excluding` is someone whose work is being handed on. Null only when the
 * center has no active supervisor at all.
 */
export async function responsibleFor(
  m: EntityManager,
  c: { primaryCounselorId: string | null; districtId: string | null; confidential: boolean },
  excluding: string | null = null,
): Promise<Responsible | null> {
  const eligible = (id: string | null): id is string => id !== null && id !== excluding;
  const primary = c.primaryCounselorId;
  if (eligible(primary) && (await isActive(m, primary))) return { userId: primary, fallback: false };
  const lead = c.confidential ? null : await districtLead(m, c.districtId);
  if (eligible(lead)) return { userId: lead, fallback: false };
  const own = (c.districtId ? await districtSupervisors(m, c.districtId) : await centerSupervisors(m)).filter(eligible);
  if (own.length > 0) return { userId: own[0], fallback: false };
  const anyone = (await centerSupervisors(m)).filter(eligible);
  return anyone.length > 0 ? { userId: anyone[0], fallback: true } : null;
}

async function isActive(m: EntityManager, userId: string): Promise<boolean> {
  const rows = (await m.query(`SELECT 1 FROM users WHERE id = $1 AND active`, [userId])) as unknown[];
  return rows.length > 0;
}

/**
 * May these counselors carry a case in this district? The primary counselor
 * must be an active counselor and a current member of the district; the
 * co-counselors active counselors. Answers the field errors, none when fine.
 */
export async function caseAssignmentErrors(
  m: EntityManager,
  a: { districtId: string; primaryCounselorId: string; coCounselorIds: string[] },
): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  const district = (await m.query('SELECT 1 FROM districts WHERE id = $1', [a.districtId])) as unknown[];
  if (district.length === 0) errors.push({ field: 'districtId', code: 'not_found', message: 'no such district' });
  const [primary] = (await m.query(
    `SELECT u.active AND 'counselor' = ANY(u.roles) AS counselor,
            EXISTS (SELECT 1 FROM current_district_members dm WHERE dm.user_id = u.id AND dm.district_id = $2) AS member
       FROM users u WHERE u.id = $1`,
    [a.primaryCounselorId, a.districtId],
  )) as { counselor: boolean; member: boolean }[];
  if (!primary?.counselor)
    errors.push({ field: 'primaryCounselorId', code: 'not_active_counselor', message: 'must be an active counselor' });
  else if (!primary.member)
    errors.push({
      field: 'primaryCounselorId',
      code: 'not_district_member',
      message: 'must be a current member of the district',
    });
  if (a.coCounselorIds.length > 0) {
    const [{ n }] = (await m.query(
      `SELECT count(*)::int AS n FROM users WHERE id = ANY($1::uuid[]) AND active AND 'counselor' = ANY(roles)`,
      [a.coCounselorIds],
    )) as { n: number }[];
    if (n !== a.coCounselorIds.length)
      errors.push({ field: 'coCounselorIds', code: 'not_active_counselor', message: 'must all be active counselors' });
  }
  return errors;
}

/**
 * May this user take a task on this case? An active user who is a current
 * member or supervisor of the case's district, or assigned to the case;
 * staff take referral follow-ups.
 */
export async function mayTakeTask(
  m: EntityManager,
  c: { districtId: string | null; assigneeIds: string[] },
  userId: string,
  kind: string,
): Promise<boolean> {
  const [row] = (await m.query(
    `SELECT u.active, u.roles,
            EXISTS (SELECT 1 FROM current_district_members dm WHERE dm.user_id = u.id AND dm.district_id = $2)
         OR EXISTS (SELECT 1 FROM current_district_supervisors ds WHERE ds.user_id = u.id AND ds.district_id = $2) AS in_district
       FROM users u WHERE u.id = $1`,
    [userId, c.districtId],
  )) as { active: boolean; roles: string[]; in_district: boolean }[];
  return Boolean(
    row?.active &&
    (row.in_district ||
      c.assigneeIds.includes(userId) ||
      (kind === 'referral_followup' && row.roles.includes('staff'))),
  );
}
