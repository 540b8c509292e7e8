import type { Case } from './case.entity';
import type { Consultation } from './consultation.entity';
import type { Household, HouseholdMember, Person } from './person.entity';

export interface CaseHeader {
  id: string;
  number: string;
  status: string;
  districtId: string | null;
  /** The child's initials in kana (タ・ハ), all staff may see (access.md). */
  initials: string;
}

export const initialsOf = (p: Pick<Person, 'familyNameKana' | 'givenNameKana' | 'familyName' | 'givenName'>) =>
  `${(p.familyNameKana ?? p.familyName).charAt(0)}・${(p.givenNameKana ?? p.givenName).charAt(0)}`;

export function caseHeader(c: Case, subject: Person): CaseHeader {
  return { id: c.id, number: c.number, status: c.status, districtId: c.districtId, initials: initialsOf(subject) };
}

export function personView(p: Person) {
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
) {
  return {
    id: c.id,
    number: c.number,
    fiscalYear: c.fiscalYear,
    status: c.status,
    districtId: c.districtId,
    primaryCounselorId: c.primaryCounselorId,
    coCounselorIds: c.coCounselorIds,
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

export type CaseView = ReturnType<typeof caseView>;

export function consultationView(c: Consultation) {
  return {
    id: c.id,
    caseId: c.caseId,
    occurredAt: c.occurredAt,
    durationMinutes: c.durationMinutes,
    counselorId: c.counselorId,
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

export type ConsultationView = ReturnType<typeof consultationView>;
