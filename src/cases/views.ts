import { ApiExtraModels, ApiProperty, getSchemaPath } from '@nestjs/swagger';
import { ApiCode, ApiDate, ApiDateTime, ApiUuid, ApiUuids } from '../core/http/openapi';
import { CASE_STATUSES } from '../codes/code-lists';
import { refOf, UserRef } from '../directory/user-ref';
import type { Case } from './case.entity';
import { SiblingCase } from './siblings';
import type { Consultation } from './consultation.entity';
import type { Household, HouseholdMember, Person } from './person.entity';

/*
 * What the cases endpoints answer. Each is a class so that the OpenAPI
 * document describes exactly what the handlers return (the view functions
 * below are typed by them).
 */

/** The part of a case every role with case access may see (access.md). */
export class CaseHeader {
  @ApiUuid() id!: string;
  @ApiProperty({ example: '2026-00042' }) number!: string;
  @ApiCode(CASE_STATUSES) status!: string;
  @ApiUuid({ nullable: true }) districtId!: string | null;
  /** The child's initials in kana (タ・ハ), all staff may see (access.md). */
  @ApiProperty({ example: 'タ・ハ' }) initials!: string;
}

export class PersonView {
  @ApiUuid() id!: string;
  @ApiProperty() familyName!: string;
  @ApiProperty() givenName!: string;
  @ApiProperty({ type: String, nullable: true }) familyNameKana!: string | null;
  @ApiProperty({ type: String, nullable: true }) givenNameKana!: string | null;
  @ApiDate({ nullable: true }) birthDate!: string | null;
  @ApiDate({ nullable: true }) expectedDueDate!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'code list `sexes`' }) sex!: string | null;
  @ApiProperty({ type: String, nullable: true }) school!: string | null;
}

export class SubjectView extends PersonView {
  @ApiProperty({ description: 'code list `subject_kinds`' }) kind!: string;
}

export class HouseholdMemberView extends PersonView {
  @ApiProperty({ description: 'code list `relationships`' }) relationship!: string;
}

export class HouseholdView {
  @ApiUuid() id!: string;
  @ApiProperty() address!: string;
  @ApiProperty({ type: [HouseholdMemberView] }) members!: HouseholdMemberView[];
}

export class CaseFlags {
  @ApiProperty() confidential!: boolean;
  @ApiProperty() youngCarer!: boolean;
  @ApiProperty() dvInvolved!: boolean;
}

export class CaseView {
  @ApiUuid() id!: string;
  @ApiProperty({ example: '2026-00042' }) number!: string;
  @ApiProperty({ description: 'Japanese fiscal year the case was opened in' }) fiscalYear!: number;
  @ApiCode(CASE_STATUSES) status!: string;
  @ApiUuid({ nullable: true }) districtId!: string | null;
  @ApiUuid({ nullable: true }) primaryCounselorId!: string | null;
  @ApiProperty({ type: UserRef, nullable: true, description: '`primaryCounselorId`, named' })
  primaryCounselor!: UserRef | null;
  @ApiUuids() coCounselorIds!: string[];
  @ApiProperty({ type: [UserRef], description: '`coCounselorIds`, named, in the same order' })
  coCounselors!: UserRef[];
  @ApiProperty({ type: SubjectView }) subject!: SubjectView;
  @ApiProperty({ type: HouseholdView }) household!: HouseholdView;
  @ApiProperty({ description: 'code list `consultation_types`' }) mainConsultationType!: string;
  @ApiProperty({ type: [String] }) consultationTypes!: string[];
  @ApiProperty({ description: 'code list `protection_registrations`' }) protection!: string;
  @ApiProperty({ type: String, nullable: true, description: 'code list `risk_levels`' }) risk!: string | null;
  @ApiProperty({ type: [String], description: 'code list `abuse_types`' }) abuseTypes!: string[];
  @ApiProperty({ type: String, nullable: true, description: 'code list `main_abuser_relations`' })
  mainAbuser!: string | null;
  @ApiProperty({ type: CaseFlags }) flags!: CaseFlags;
  @ApiProperty() hasReferral!: boolean;
  @ApiDateTime() openedAt!: Date;
  @ApiDateTime({ nullable: true }) acceptedAt!: Date | null;
  @ApiDateTime({ nullable: true }) closedAt!: Date | null;
  @ApiProperty({ type: String, nullable: true, description: 'code list `closure_reasons`' })
  closureReason!: string | null;
  @ApiProperty({ description: 'Send back as If-Match' }) version!: number;
}

export class ConsultationView {
  @ApiUuid() id!: string;
  @ApiUuid() caseId!: string;
  @ApiDateTime() occurredAt!: Date;
  @ApiProperty() durationMinutes!: number;
  @ApiUuid({ description: 'Who recorded the consultation' }) counselorId!: string;
  @ApiProperty({ type: UserRef, description: '`counselorId`, named' }) counselor!: UserRef;
  @ApiProperty({ description: 'code list `channels`' }) channel!: string;
  @ApiProperty({ description: 'code list `routes`' }) route!: string;
  @ApiProperty({ description: 'code list `consultation_types`' }) consultationType!: string;
  @ApiProperty() bullying!: boolean;
  @ApiProperty({ type: [String] }) abuseTypes!: string[];
  @ApiProperty({ type: String, nullable: true }) mainAbuser!: string | null;
  @ApiProperty() abuseNotification!: boolean;
  @ApiProperty({ description: 'Outside office hours (OFFICE_HOURS)' }) afterHours!: boolean;
  @ApiProperty() summary!: string;
  @ApiProperty({ type: String, nullable: true }) nextAction!: string | null;
  @ApiProperty() isIntake!: boolean;
  @ApiDateTime() createdAt!: Date;
}

/** A case as counselors and supervisors read it: the record, its latest consultations, what may be done next. */
export class CaseDetail extends CaseView {
  @ApiProperty({ type: [ConsultationView], description: 'The latest 20' }) recentConsultations!: ConsultationView[];
  @ApiProperty({ type: [String], description: 'Transition actions the case allows now' }) allowedActions!: string[];
  @ApiProperty({ type: [SiblingCase], description: "Siblings' cases in the same household that you may read" })
  siblingCases!: SiblingCase[];
}

/** A row of the case list for those who may read cases in full. */
export class CaseListItem {
  @ApiUuid() id!: string;
  @ApiProperty({ example: '2026-00042' }) number!: string;
  @ApiCode(CASE_STATUSES) status!: string;
  @ApiUuid({ nullable: true }) districtId!: string | null;
  @ApiUuid({ nullable: true }) primaryCounselorId!: string | null;
  @ApiProperty({ type: UserRef, nullable: true, description: '`primaryCounselorId`, named' })
  primaryCounselor!: UserRef | null;
  @ApiProperty() subjectName!: string;
  @ApiProperty({ type: String, nullable: true }) subjectNameKana!: string | null;
  @ApiDate({ nullable: true }) subjectBirthDate!: string | null;
  @ApiProperty() mainConsultationType!: string;
  @ApiProperty() protection!: string;
  @ApiProperty({ type: String, nullable: true }) risk!: string | null;
  @ApiProperty() confidential!: boolean;
  @ApiDateTime() openedAt!: Date;
  @ApiProperty() version!: number;
}

/** One line of a case's timeline (`/code-lists`: `caseEventKinds`, `caseActions`). */
export class CaseEventView {
  @ApiProperty({ description: 'Increasing; the timeline order' }) id!: string;
  @ApiDateTime() occurredAt!: Date;
  @ApiUuid({ nullable: true }) actorId!: string | null;
  @ApiProperty({ type: UserRef, nullable: true, description: '`actorId`, named; null for the system' })
  actor!: UserRef | null;
  @ApiProperty({ description: 'code list `caseEventKinds`' }) kind!: string;
  @ApiProperty({ type: String, nullable: true, description: 'code list `caseActions`' }) action!: string | null;
  @ApiCode(CASE_STATUSES, { nullable: true }) fromStatus!: string | null;
  @ApiCode(CASE_STATUSES, { nullable: true }) toStatus!: string | null;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) details!: Record<string, unknown>;
}

/** What an intake answers about a case its author may no longer read (another district): the receipt only. */
export class CaseReceipt {
  @ApiUuid() id!: string;
  @ApiProperty() number!: string;
  @ApiCode(CASE_STATUSES) status!: string;
  @ApiUuid({ nullable: true }) districtId!: string | null;
}

/** A consultation added through a duplicate check's match token: the case's id and nothing else about it. */
export class CaseIdReceipt {
  @ApiUuid() id!: string;
}

export class ConsultationReceipt {
  @ApiUuid() id!: string;
  @ApiUuid() caseId!: string;
}

export const initialsOf = (p: Pick<Person, 'familyNameKana' | 'givenNameKana' | 'familyName' | 'givenName'>) =>
  `${(p.familyNameKana ?? p.familyName).charAt(0)}・${(p.givenNameKana ?? p.givenName).charAt(0)}`;

export function caseHeader(
  c: Pick<Case, 'id' | 'number' | 'status' | 'districtId'>,
  subject: Parameters<typeof initialsOf>[0],
): CaseHeader {
  return { id: c.id, number: c.number, status: c.status, districtId: c.districtId, initials: initialsOf(subject) };
}

export function personView(p: Person): PersonView {
  return {
    id: p.id,
    familyName: p.familyName,
    givenName: p.givenName,
    familyNameKana: p.familyNameKana,
    givenNameKana: p.givenNameKana,
    birthDate: p.birthDate,
    expectedDueDate: p.expectedDueDate,
    sex: p.sex,
    school: p.school,
  };
}

export function caseView(
  c: Case,
  subject: Person,
  household: Household,
  members: (HouseholdMember & { person: Person })[],
  users: Map<string, UserRef>,
): CaseView {
  return {
    id: c.id,
    number: c.number,
    fiscalYear: c.fiscalYear,
    status: c.status,
    districtId: c.districtId,
    primaryCounselorId: c.primaryCounselorId,
    primaryCounselor: refOf(users, c.primaryCounselorId),
    coCounselorIds: c.coCounselorIds,
    coCounselors: c.coCounselorIds.map((id) => refOf(users, id)),
    subject: { ...personView(subject), kind: c.subjectKind },
    household: {
      id: household.id,
      address: household.address,
      members: members.map((m) => ({ relationship: m.relationship, ...personView(m.person) })),
    },
    mainConsultationType: c.mainConsultationType,
    consultationTypes: c.consultationTypes,
    protection: c.protection,
    risk: c.risk,
    abuseTypes: c.abuseTypes,
    mainAbuser: c.mainAbuser,
    flags: { confidential: c.confidential, youngCarer: c.youngCarer, dvInvolved: c.dvInvolved },
    hasReferral: c.hasReferral,
    openedAt: c.openedAt,
    acceptedAt: c.acceptedAt,
    closedAt: c.closedAt,
    closureReason: c.closureReason,
    version: c.version,
  };
}

/** The staff a case names (its counselors), for userRefs to read with the rest of a page. */
export const caseStaffIds = (c: Pick<Case, 'primaryCounselorId' | 'coCounselorIds'>) => [
  c.primaryCounselorId,
  ...c.coCounselorIds,
];

/** `users` holds the counselor (userRefs, read once for the whole page). */
export function consultationView(c: Consultation, users: Map<string, UserRef>): ConsultationView {
  return {
    id: c.id,
    caseId: c.caseId,
    occurredAt: c.occurredAt,
    durationMinutes: c.durationMinutes,
    counselorId: c.counselorId,
    counselor: refOf(users, c.counselorId),
    channel: c.channel,
    route: c.route,
    consultationType: c.consultationType,
    bullying: c.bullying,
    abuseTypes: c.abuseTypes,
    mainAbuser: c.mainAbuser,
    abuseNotification: c.abuseNotification,
    afterHours: c.afterHours,
    summary: c.summary,
    nextAction: c.nextAction,
    isIntake: c.isIntake,
    createdAt: c.createdAt,
  };
}

/** POST /intakes: the case (in full, as a header, or a receipt, by what the author may read) and the consultation. */
@ApiExtraModels(CaseDetail, CaseHeader, CaseReceipt, CaseIdReceipt, ConsultationView, ConsultationReceipt)
export class IntakeResult {
  @ApiProperty({ oneOf: [CaseDetail, CaseHeader, CaseReceipt, CaseIdReceipt].map((t) => ({ $ref: getSchemaPath(t) })) })
  case!: CaseDetail | CaseHeader | CaseReceipt | CaseIdReceipt;

  @ApiProperty({ oneOf: [ConsultationView, ConsultationReceipt].map((t) => ({ $ref: getSchemaPath(t) })) })
  consultation!: ConsultationView | ConsultationReceipt;
}
