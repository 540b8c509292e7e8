import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Actor } from '../access/policy';
import { AuditLog } from '../audit/audit.service';
import { CaseRecords } from '../cases/case-records';
import { siblingCases } from '../cases/siblings';
import type { Case } from '../cases/case.entity';
import { decodeCursor, ListQuery, toPage } from '../core/http/pagination';
import { refOf, UserRef, userRefs } from '../directory/user-ref';
import {
  contactDetailsStaff,
  ContactsService,
  namedContactDetails,
  RECORD_PEOPLE,
} from '../households/contacts.service';
import type {
  CaseRecordResponse,
  RecordConference,
  RecordConsultation,
  RecordDistrict,
  RecordMember,
  RecordOrganization,
  RecordReferral,
  RecordSubject,
  RecordTask,
} from './dto/record.dto';

const PERSON_COLUMNS = `p.id, p.family_name AS "familyName", p.given_name AS "givenName",
  p.family_name_kana AS "familyNameKana", p.given_name_kana AS "givenNameKana",
  to_char(p.birth_date, 'YYYY-MM-DD') AS "birthDate", to_char(p.expected_due_date, 'YYYY-MM-DD') AS "expectedDueDate",
  p.sex, p.school`;

/**
 * GET /cases/{id}/record: the whole child record for reading and printing
 * (issue 13). Each section is one query on an index of the case; the
 * progress record is paged (oldest first) so that a case with 500
 * consultations of long summaries still answers quickly; staff names come
 * with their ids. One audit entry per page says what was read.
 */
@Injectable()
export class CaseRecordService {
  constructor(
    private readonly db: DataSource,
    private readonly records: CaseRecords,
    private readonly contacts: ContactsService,
    private readonly audit: AuditLog,
  ) {}

  async read(actor: Actor, caseId: string, query: ListQuery): Promise<CaseRecordResponse> {
    const limit = query.limit ?? 100;
    const after = decodeCursor(query.cursor, ['instant', 'uuid']);
    return this.db.transaction(async (m) => {
      const c = await this.records.load(m, actor, caseId, 'case.read');
      const [subject] = (await m.query(`SELECT ${PERSON_COLUMNS} FROM persons p WHERE p.id = $1`, [
        c.subjectId,
      ])) as RecordSubject[];
      const members = (await m.query(
        `SELECT ${PERSON_COLUMNS}, people.relationship FROM (${RECORD_PEOPLE}) people JOIN persons p ON p.id = people.person_id
          WHERE people.relationship <> 'subject' ORDER BY p.created_at, p.id`,
        [c.id],
      )) as RecordMember[];
      const [{ address }] = (await m.query(`SELECT address FROM households WHERE id = $1`, [c.householdId])) as {
        address: string;
      }[];
      const contactDetails = await this.contacts.read(m, c);
      const district = c.districtId
        ? ((await m.query(`SELECT id, code, name FROM districts WHERE id = $1`, [c.districtId])) as RecordDistrict[])[0]
        : null;

      const [{ total }] = (await m.query(`SELECT count(*)::int AS total FROM consultations WHERE case_id = $1`, [
        c.id,
      ])) as { total: number }[];
      const consultations = (await m.query(
        `SELECT id, occurred_at AS "occurredAt", duration_minutes AS "durationMinutes", counselor_id AS "counselorId",
                channel, route, consultation_type AS "consultationType", bullying, abuse_types AS "abuseTypes",
                main_abuser AS "mainAbuser", abuse_notification AS "abuseNotification", after_hours AS "afterHours",
                summary, next_action AS "nextAction", is_intake AS "isIntake"
           FROM consultations
          WHERE case_id = $1 AND ($2::timestamptz IS NULL OR (occurred_at, id) > ($2::timestamptz, $3::uuid))
          ORDER BY occurred_at, id LIMIT ${limit + 1}`,
        [c.id, after?.[0] ?? null, after?.[1] ?? null],
      )) as (Omit<RecordConsultation, 'counselor'> & { counselorId: string })[];
      const tasks = (await m.query(
        `SELECT id, kind, title, status, priority, due_at AS "dueAt", assignee_id AS "assigneeId",
                closed_at AS "closedAt", closed_by AS "closedBy", note
           FROM tasks WHERE case_id = $1 ORDER BY due_at, id`,
        [c.id],
      )) as (Omit<RecordTask, 'assignee' | 'closedBy'> & { assigneeId: string; closedBy: string | null })[];
      const conferences = (await m.query(
        `SELECT f.id, f.kind, f.held_at AS "heldAt", f.attendee_user_ids AS "attendeeUserIds", f.decisions,
                f.next_review_at AS "nextReviewAt",
                coalesce((SELECT json_agg(json_build_object('id', o.id, 'name', o.name) ORDER BY o.name)
                            FROM organizations o WHERE o.id = ANY(f.attendee_organization_ids)), '[]') AS "attendeeOrganizations"
           FROM conferences f WHERE f.case_id = $1 ORDER BY f.held_at, f.id`,
        [c.id],
      )) as (Omit<RecordConference, 'attendees'> & { attendeeUserIds: string[] })[];
      const referrals = (await m.query(
        `SELECT r.id, r.direction, r.kind, json_build_object('id', o.id, 'name', o.name) AS organization, r.status,
                r.urgency, r.legal_basis AS "legalBasis", r.reason, r.shared_information AS "sharedInformation",
                r.sent_at AS "sentAt", r.response_due_at AS "responseDueAt", r.responded_at AS "respondedAt",
                r.closed_at AS "closedAt", r.created_by AS "createdBy", r.created_at AS "createdAt"
           FROM referrals r JOIN organizations o ON o.id = r.organization_id
          WHERE r.case_id = $1 ORDER BY r.created_at, r.id`,
        [c.id],
      )) as (Omit<RecordReferral, 'createdBy' | 'organization'> & {
        createdBy: string;
        organization: RecordOrganization;
      })[];

      const users = await userRefs(m, [
        c.primaryCounselorId,
        ...c.coCounselorIds,
        ...consultations.map((x) => x.counselorId),
        ...tasks.flatMap((x) => [x.assigneeId, x.closedBy]),
        ...conferences.flatMap((x) => x.attendeeUserIds),
        ...referrals.map((x) => x.createdBy),
        ...contactDetailsStaff(contactDetails),
      ]);
      const { contacts, addresses } = namedContactDetails(contactDetails, users);
      const ref = (id: string) => refOf(users, id) as UserRef;
      const progress = toPage(
        consultations,
        limit,
        (x) => [new Date(x.occurredAt).toISOString(), x.id],
        ({ counselorId, ...x }): RecordConsultation => ({ ...x, counselor: ref(counselorId) }),
      );

      await this.audit.record(m, actor, {
        action: 'read',
        entityType: 'case_record',
        entityId: c.id,
        districtId: c.districtId,
        summary: {
          page: after ? 'next' : 'first',
          consultations: progress.items.length,
          contacts: contacts.length,
          tasks: tasks.length,
          conferences: conferences.length,
          referrals: referrals.length,
        },
      });
      return {
        subject: { ...subject, kind: c.subjectKind },
        household: { id: c.householdId, address, members, addresses, contacts },
        case: { ...caseSection(c, district, users), siblingCases: await siblingCases(m, actor, c) },
        progressRecord: { total, ...progress },
        tasks: tasks.map(({ assigneeId, closedBy, ...x }) => ({
          ...x,
          assignee: ref(assigneeId),
          closedBy: refOf(users, closedBy),
        })),
        conferences: conferences.map(({ attendeeUserIds, ...x }) => ({ ...x, attendees: attendeeUserIds.map(ref) })),
        referrals: referrals.map((x) => ({ ...x, createdBy: ref(x.createdBy) })),
        readAt: new Date(),
      };
    });
  }
}

function caseSection(c: Case, district: RecordDistrict | null, users: Map<string, UserRef>) {
  return {
    id: c.id,
    number: c.number,
    fiscalYear: c.fiscalYear,
    status: c.status,
    district,
    primaryCounselor: refOf(users, c.primaryCounselorId),
    coCounselors: c.coCounselorIds.map((id) => refOf(users, id) as UserRef),
    mainConsultationType: c.mainConsultationType,
    consultationTypes: c.consultationTypes,
    protection: c.protection,
    risk: c.risk,
    abuseTypes: c.abuseTypes,
    mainAbuser: c.mainAbuser,
    flags: { confidential: c.confidential, youngCarer: c.youngCarer, dvInvolved: c.dvInvolved },
    openedAt: c.openedAt,
    acceptedAt: c.acceptedAt,
    closedAt: c.closedAt,
    closureReason: c.closureReason,
    version: c.version,
  };
}
