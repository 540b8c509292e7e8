import type { MongoQuery } from '@casl/ability';
import type { Role } from './roles';

/** Whose records a user may touch: from district data, never from the role alone (access.md, "Roles"). */
export interface Scope {
  userId: string;
  /** Districts where the user is a current member (counselors). */
  memberDistrictIds: string[];
  /** Districts the user currently oversees (supervisors). */
  overseenDistrictIds: string[];
}

/**
 * A grant: `true` for every record of the kind, or conditions on the record
 * (any one suffices). Conditions name fields of the record's access shape
 * (below), in CASL's MongoDB-like language; the same conditions check one
 * record in memory and become the WHERE clause of every list and count.
 */
export type Grant = true | ((scope: Scope) => MongoQuery[]);

// Access shapes of the records the conditions speak of:
//   Case:         { districtId, confidential, assigneeIds[], hasReferral }
//   Referral, Conference: { case: Case }
//   Task:         { assigneeId, kind, case: Case }
//   Conference:   { case: Case, attendeeUserIds[] }
//   AuditEvent:   { districtId }
//   Membership:   { districtId }
//   Notification: { userId }

const assigned = (s: Scope, path = '') => ({ [`${path}assigneeIds`]: s.userId });
const inOwnDistrictsOpen = (s: Scope, path = '') => ({
  [`${path}districtId`]: { $in: s.memberDistrictIds },
  [`${path}confidential`]: false,
});
const overseen = (s: Scope, path = '') => ({ [`${path}districtId`]: { $in: s.overseenDistrictIds } });
/**
 * A case whose district is not yet decided (an intake whose address matched
 * no district) waits for the intake meeting: every supervisor sees it and
 * may place it (domain.md: the district is confirmed by a supervisor).
 */
const unplaced = (path = '') => ({ [`${path}districtId`]: null });

/**
 * The permission matrix of access.md, row by row: the single truth that the
 * route guard (which roles may call at all: 403 otherwise) and the policy
 * (which records: 404 otherwise) both read. test/access/matrix.test.ts walks
 * it against access.md.
 */
export const MATRIX = {
  // record a new consultation (intake), opening a case in `intake`
  'case.intake': { counselor: true, supervisor: true },
  // read a case and its consultations
  'case.read': {
    counselor: (s) => [assigned(s), inOwnDistrictsOpen(s)],
    supervisor: (s) => [overseen(s), unplaced()],
  },
  // staff: case header only (number, status, district, initials) for cases with a referral
  'case.read_header': {
    counselor: (s) => [assigned(s), inOwnDistrictsOpen(s)],
    supervisor: (s) => [overseen(s), unplaced()],
    staff: () => [{ hasReferral: true }],
  },
  // edit a case's details, add consultations
  'case.edit': { counselor: (s) => [assigned(s)], supervisor: (s) => [overseen(s), unplaced()] },
  // accept or reject an intake; assign district and counselors
  'case.triage': { supervisor: (s) => [overseen(s), unplaced()] },
  // move between assessment, active, monitoring; request closure
  'case.progress': { counselor: (s) => [assigned(s)], supervisor: (s) => [overseen(s)] },
  // approve or reject closure; reopen; set `confidential`
  'case.close': { supervisor: (s) => [overseen(s)] },

  // support plans (docs/domain.md): drafting and recording services follow `case.edit`, reading
  // follows `case.read`; approving a plan is a supervisor's gate, like approving closure
  'plan.approve': { supervisor: (s) => [overseen(s)] },

  // create an outgoing referral
  'referral.create_outgoing': {
    counselor: (s) => [assigned(s, 'case.')],
    supervisor: (s) => [overseen(s, 'case.')],
    staff: () => [{ 'case.hasReferral': true }],
  },
  // register an incoming referral (may open a case in `intake`)
  'referral.register_incoming': { counselor: true, supervisor: true, staff: true },
  // move a referral along its states, record responses
  'referral.transition': {
    counselor: (s) => [assigned(s, 'case.')],
    supervisor: (s) => [overseen(s, 'case.'), unplaced('case.')],
    staff: true,
  },
  // read referrals (staff: without consultation summaries)
  'referral.read': {
    counselor: (s) => [assigned(s, 'case.'), inOwnDistrictsOpen(s, 'case.')],
    supervisor: (s) => [overseen(s, 'case.'), unplaced('case.')],
    staff: true,
  },

  // tasks: create, complete (an assignee always sees and completes their own task)
  'task.manage': {
    counselor: (s) => [{ assigneeId: s.userId }, assigned(s, 'case.')],
    supervisor: (s) => [{ assigneeId: s.userId }, overseen(s, 'case.'), unplaced('case.')],
    staff: () => [{ kind: 'referral_followup' }],
  },
  'task.read': {
    counselor: (s) => [{ assigneeId: s.userId }, assigned(s, 'case.'), inOwnDistrictsOpen(s, 'case.')],
    supervisor: (s) => [{ assigneeId: s.userId }, overseen(s, 'case.'), unplaced('case.')],
    staff: () => [{ kind: 'referral_followup' }],
  },
  // tasks: reassign
  'task.reassign': { supervisor: (s) => [overseen(s, 'case.')] },

  // case conferences
  'conference.manage': { counselor: (s) => [assigned(s, 'case.')], supervisor: (s) => [overseen(s, 'case.')] },
  'conference.read': {
    counselor: (s) => [assigned(s, 'case.'), inOwnDistrictsOpen(s, 'case.')],
    supervisor: (s) => [overseen(s, 'case.')],
    staff: (s) => [{ attendeeUserIds: s.userId }],
  },

  // in-app notifications: everyone has their own
  'notification.read': {
    counselor: (s) => [{ userId: s.userId }],
    supervisor: (s) => [{ userId: s.userId }],
    staff: (s) => [{ userId: s.userId }],
    admin: (s) => [{ userId: s.userId }],
  },

  // statistics (aggregate, no names): a supervisor's figures cover what their case lists cover (api.md:
  // "the districts they oversee", with the unplaced intakes every supervisor sees); staff and admins, the center's
  'stats.read': { supervisor: (s) => [overseen(s), unplaced()], staff: true, admin: true },

  // audit log: supervisors, entries about cases in overseen districts; admins, all (metadata only)
  'audit.read': { supervisor: (s) => [overseen(s)], admin: true },
  // walking the whole hash chain covers every entry: admins only
  'audit.verify': { admin: true },

  // users, districts and memberships, organizations, code lists
  'directory.read': { counselor: true, supervisor: true, staff: true, admin: true },
  'directory.manage': { admin: true },
  'membership.manage': { supervisor: (s) => [overseen(s)], admin: true },

  // queue dashboard
  'queues.view': { admin: true },
} satisfies Record<string, Partial<Record<Role, Grant>>>;

export type Permission = keyof typeof MATRIX;
export const PERMISSIONS = Object.keys(MATRIX) as Permission[];
