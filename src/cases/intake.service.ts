import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { allows, Actor } from '../access/policy';
import { caseAccess } from './case-lifecycle';
import { AuditLog } from '../audit/audit.service';
import { AppConfig } from '../core/config/app-config';
import { DomainError } from '../core/errors/domain-error';
import { Idempotency, Replayable } from '../core/idempotency';
import { normalizeKana } from '../core/text/normalize';
import { DistrictsService } from '../directory/districts.service';
import { nextCaseNumber } from './case-numbers';
import { assertOpen, CaseRecords, readableCases, readPermissionOf } from './case-records';
import { supervisorsOf } from '../directory/staffing';
import { userRefs } from '../directory/user-ref';
import { Notifications } from '../notifications/notifications.service';
import { MatchTokens } from './match-tokens';
import { CaseEvent } from './case-event.entity';
import { Case } from './case.entity';
import { Consultation } from './consultation.entity';
import { ConsultationsService } from './consultations.service';
import { HouseholdDto, IntakeDto, SubjectDto } from './dto/intake.dto';
import { setHouseholdAddress } from './household-addresses';
import { Household, HouseholdMember, Person } from './person.entity';
import { consultationView, IntakeResult } from './views';
import { CasesService } from './cases.service';

/** A possible duplicate: named when the caller may read it, otherwise only an opaque token (issue 11, item 1). */
export type DuplicateCandidate =
  { caseId: string; caseNumber: string; districtId: string | null; status: string } | { matchToken: string };

/**
 * The 409 of a duplicate check. `matched` (every case found, readable or not)
 * stays on the server: it is what the audit entries name.
 */
export class PossibleDuplicate extends DomainError {
  constructor(
    candidates: DuplicateCandidate[],
    readonly matched: { caseId: string; districtId: string | null; shown: 'case' | 'match_token' }[],
  ) {
    super(
      'possible_duplicate',
      'A case for a child with the same kana name and date exists; add to it (caseId or matchToken) or confirm a new case (confirmNew)',
      { candidates },
    );
  }
}

/**
 * What kind of answer it was, kept to answer a repeat alike: the case, a
 * receipt (ids, number, status, district), or ids only (a match token's).
 */
const answerOf = (r: IntakeResult): { answer?: 'receipt' | 'ids' } =>
  'subject' in r.case ? {} : { answer: 'number' in r.case ? 'receipt' : 'ids' };

/**
 * Intake (受付): a consultation arrives; the system finds the child's case or
 * opens one in `intake`, in one transaction (domain.md, "People and
 * households": one record per child, so a likely duplicate is asked about first).
 */
@Injectable()
export class IntakeService {
  constructor(
    private readonly db: DataSource,
    private readonly idempotency: Idempotency,
    private readonly consultations: ConsultationsService,
    private readonly cases: CasesService,
    private readonly records: CaseRecords,
    private readonly districts: DistrictsService,
    private readonly audit: AuditLog,
    private readonly config: AppConfig,
    private readonly matchTokens: MatchTokens,
    private readonly notifications: Notifications,
  ) {}

  async intake(actor: Actor, dto: IntakeDto, idempotencyKey: string | undefined): Promise<Replayable<IntakeResult>> {
    return this.recordingDuplicateAnswers(actor, () => this.intakeOnce(actor, dto, idempotencyKey));
  }

  /**
   * A possible-duplicate answer tells the caller about other cases, so it is
   * recorded as a read of each; the refused intake's transaction rolled
   * back, so the entries are written in one of their own.
   */
  async recordingDuplicateAnswers<T>(actor: Actor, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof PossibleDuplicate) {
        await this.db.transaction((m) =>
          this.audit.recordMany(
            m,
            actor,
            error.matched.map((k) => ({
              action: 'read',
              entityType: 'case',
              entityId: k.caseId,
              districtId: k.districtId,
              summary: { via: 'duplicate_check', shown: k.shown },
            })),
          ),
        );
      }
      throw error;
    }
  }

  private intakeOnce(actor: Actor, dto: IntakeDto, idempotencyKey: string | undefined) {
    return this.idempotency.run({
      userId: actor.userId,
      scope: 'intake',
      key: idempotencyKey,
      body: dto,
      status: 201,
      work: (m) =>
        dto.caseId
          ? this.addToCase(m, actor, dto.caseId, dto)
          : dto.matchToken
            ? this.addByMatchToken(m, actor, dto.matchToken, dto)
            : this.open(m, actor, dto),
      keep: (r): Record<string, string> => ({ caseId: r.case.id, consultationId: r.consultation.id, ...answerOf(r) }),
      replay: async (m, kept) =>
        kept.answer === 'ids'
          ? idsOnly(kept.caseId, kept.consultationId)
          : this.result(
              m,
              actor,
              kept.caseId,
              await m.getRepository(Consultation).findOneByOrFail({ id: kept.consultationId }),
              // A receipt is answered again as a receipt; a full answer is read again through the policy.
              kept.answer === 'receipt' ? { audit: false } : { audit: true },
            ),
    });
  }

  /**
   * The answer to an intake: the case and the consultation for someone who
   * may read the case; otherwise (a supervisor recording a call about a child
   * of another district) only the receipt: ids, number, status, district.
   * A repeat (audit: true) by someone who may no longer read it is a 404.
   */
  private async result(
    m: EntityManager,
    actor: Actor,
    caseId: string,
    consultation: Consultation,
    options: { audit: boolean },
  ): Promise<IntakeResult> {
    const c = await m.getRepository(Case).findOneByOrFail({ id: caseId });
    if (!allows(actor, 'case.read', caseAccess(c))) {
      if (options.audit) throw DomainError.notFound('Case');
      return {
        case: { id: c.id, number: c.number, status: c.status, districtId: c.districtId },
        consultation: { id: consultation.id, caseId: c.id },
      };
    }
    return {
      case: await this.cases.view(m, actor, caseId, options),
      consultation: consultationView(consultation, await userRefs(m, [consultation.counselorId])),
    };
  }

  private async addToCase(m: EntityManager, actor: Actor, caseId: string, dto: IntakeDto): Promise<IntakeResult> {
    const c = await this.records.load(m, actor, caseId, 'case.edit', { lock: true, open: true });
    const consultation = await this.consultations.record(m, actor, c, dto.consultation, 'intake');
    return this.result(m, actor, caseId, consultation, { audit: true });
  }

  /**
   * The caller followed a duplicate check's token to a case they may not read:
   * the consultation is added to it and they get ids back, never the case.
   * Those responsible for the case hear of it (for a confidential case its
   * supervisors also learn who recorded it), and the entry is audited.
   * A forged, altered, expired or someone else's token is a 400, changing nothing.
   */
  private async addByMatchToken(m: EntityManager, actor: Actor, token: string, dto: IntakeDto): Promise<IntakeResult> {
    const caseId = this.matchTokens.open(actor.userId, token);
    const c = caseId
      ? await m.getRepository(Case).findOne({ where: { id: caseId }, lock: { mode: 'pessimistic_write' } })
      : null;
    if (!c) {
      throw DomainError.validation([
        {
          field: 'matchToken',
          message: 'not a valid match token for you, or expired: send the intake again without it',
        },
      ]);
    }
    assertOpen(c);
    const consultation = await this.consultations.record(m, actor, c, dto.consultation, 'intake');
    await this.audit.record(m, actor, {
      action: 'update',
      entityType: 'case',
      entityId: c.id,
      districtId: c.districtId,
      summary: { via: 'match_token', consultationId: consultation.id },
    });
    const notice = {
      eventKey: `match_token_consultation:${consultation.id}`,
      kind: 'consultation_by_other' as const,
      caseId: c.id,
    };
    const title = `${c.number}: 担当外の職員が相談を記録しました`;
    const supervisors = await supervisorsOf(m, c.districtId);
    const counselors = c.primaryCounselorId && c.primaryCounselorId !== actor.userId ? [c.primaryCounselorId] : [];
    if (c.confidential) {
      // Who recorded it matters on a confidential case (a family in hiding): its supervisors are told by name.
      const recorder = (await userRefs(m, [actor.userId])).get(actor.userId)?.displayName ?? actor.username;
      await this.notifications.deliver(
        m,
        counselors.filter((u) => !supervisors.includes(u)),
        { ...notice, title },
      );
      await this.notifications.deliver(m, supervisors, {
        ...notice,
        title: `${c.number}: ${recorder} が相談を記録しました（秘匿ケース）`,
      });
    } else {
      await this.notifications.deliver(m, [...counselors, ...supervisors], { ...notice, title });
    }
    return idsOnly(c.id, consultation.id);
  }

  private async open(m: EntityManager, actor: Actor, dto: IntakeDto): Promise<IntakeResult> {
    const { case: c, consultation } = await this.openCase(m, actor, dto);
    return this.result(m, actor, c.id, consultation, { audit: false });
  }

  /**
   * Opens a case in `intake` for a new subject, with its household and first
   * consultation (also used for incoming referrals without a case): the
   * duplicate check, the subject, the household, the case (numbered last),
   * its opening record, then the consultation with its follow-ups.
   */
  async openCase(m: EntityManager, actor: Actor, dto: IntakeDto): Promise<{ case: Case; consultation: Consultation }> {
    const subject = dto.subject as SubjectDto;
    const kanaKey = normalizeKana(`${subject.familyNameKana}${subject.givenNameKana}`);
    await this.holdChild(m, kanaKey, subject);
    if (!dto.confirmNew) await this.checkDuplicates(m, actor, kanaKey, subject);
    const person = await this.recordSubject(m, subject, kanaKey);
    const home = dto.householdId
      ? await this.joinHousehold(m, actor, dto.householdId, person, subject, dto.household)
      : await this.newHousehold(m, actor, dto.household as HouseholdDto);
    const c = await this.saveCase(m, actor, dto, person, home);
    await this.recordOpening(m, actor, c, dto);
    return { case: c, consultation: await this.consultations.record(m, actor, c, dto.consultation, 'new_case') };
  }

  /** Two intakes for the same child at the same moment: the second waits here, then its duplicate check sees the first. */
  private async holdChild(m: EntityManager, kanaKey: string, subject: SubjectDto): Promise<void> {
    const dateKey = subject.birthDate ?? subject.expectedDueDate ?? null;
    await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`intake:${kanaKey}:${dateKey}`]);
  }

  private recordSubject(m: EntityManager, subject: SubjectDto, kanaKey: string): Promise<Person> {
    const people = m.getRepository(Person);
    return people.save(
      people.create({
        familyName: subject.familyName,
        givenName: subject.givenName,
        familyNameKana: subject.familyNameKana,
        givenNameKana: subject.givenNameKana,
        nameKanaKey: kanaKey,
        birthDate: subject.birthDate ?? null,
        expectedDueDate: subject.expectedDueDate ?? null,
        sex: subject.sex,
        school: subject.school ?? null,
      }),
    );
  }

  /** A new household at the intake's address (its first address-history entry), with the members named. */
  private async newHousehold(m: EntityManager, actor: Actor, household: HouseholdDto): Promise<Household> {
    const home = await m.getRepository(Household).save({ address: household.address });
    await setHouseholdAddress(m, home.id, { address: household.address, change: 'intake', recordedBy: actor.userId });
    for (const member of household.members) {
      const p = await m.getRepository(Person).save(
        m.getRepository(Person).create({
          familyName: member.familyName,
          givenName: member.givenName,
          familyNameKana: member.familyNameKana ?? null,
          givenNameKana: member.givenNameKana ?? null,
          nameKanaKey:
            member.familyNameKana && member.givenNameKana
              ? normalizeKana(`${member.familyNameKana}${member.givenNameKana}`)
              : null,
          birthDate: member.birthDate ?? null,
          sex: member.sex ?? null,
        }),
      );
      await m
        .getRepository(HouseholdMember)
        .insert({ householdId: home.id, personId: p.id, relationship: member.relationship });
    }
    return home;
  }

  /**
   * The case row, in `intake`, in the district the address suggests. Its
   * number is drawn last, just before the row is written, so that an intake
   * failing earlier leaves no gap (case-numbers.ts: numbers may skip).
   */
  private async saveCase(
    m: EntityManager,
    actor: Actor,
    dto: IntakeDto,
    person: Person,
    home: Household,
  ): Promise<Case> {
    const consultation = dto.consultation;
    const occurredAt = new Date(consultation.occurredAt);
    const districtId = await this.districts.suggest(m, home.address);
    const { number, fiscalYear } = await nextCaseNumber(m, occurredAt, this.config.TZ_BUSINESS);
    return m.getRepository(Case).save(
      m.getRepository(Case).create({
        number,
        fiscalYear,
        subjectId: person.id,
        subjectKind: (dto.subject as SubjectDto).kind,
        householdId: home.id,
        status: 'intake',
        statusBeforeClosureRequest: null,
        districtId,
        // The counselor who took the call keeps sight of the case until the
        // intake meeting assigns it (a supervisor may reassign it then).
        primaryCounselorId: actor.roles.includes('counselor') ? actor.userId : null,
        coCounselorIds: [],
        mainConsultationType: consultation.consultationType,
        consultationTypes: [consultation.consultationType],
        protection: 'none',
        risk: null,
        abuseTypes: consultation.abuseTypes ?? [],
        mainAbuser: consultation.mainAbuser ?? null,
        confidential: false,
        youngCarer: false,
        dvInvolved: false,
        hasReferral: false,
        openedAt: occurredAt,
        acceptedAt: null,
        closedAt: null,
        closureReason: null,
      }),
    );
  }

  /** The `opened` case event and the audit entry of the new case. */
  private async recordOpening(m: EntityManager, actor: Actor, c: Case, dto: IntakeDto): Promise<void> {
    await m.getRepository(CaseEvent).insert({
      caseId: c.id,
      actorId: actor.userId,
      kind: 'opened',
      toStatus: 'intake',
      details: { districtSuggested: c.districtId !== null, confirmedNew: dto.confirmNew === true },
    });
    await this.audit.record(m, actor, {
      action: 'create',
      entityType: 'case',
      entityId: c.id,
      districtId: c.districtId,
      summary: {
        number: c.number,
        fields: ['subject', 'household', 'consultation'],
        ...(dto.householdId
          ? { joinedHousehold: c.householdId }
          : { members: (dto.household as HouseholdDto).members.length }),
      },
    });
  }

  /**
   * A second child of a family already on record joins its household
   * (domain.md: siblings' cases share the household), as a sibling of the
   * household's first subject, or `other` for an expectant mother.
   */
  private async joinHousehold(
    m: EntityManager,
    actor: Actor,
    householdId: string,
    person: Person,
    subject: SubjectDto,
    household: HouseholdDto | undefined,
  ): Promise<Household> {
    if (household !== undefined) {
      throw DomainError.validation([
        { field: 'household', message: 'leave out household when joining one (householdId)' },
      ]);
    }
    // A household is joined only through a case of it the actor may read: joining an unseen one
    // would show its members on the new case. Unseen and unknown get the same answer.
    const seen = await m
      .getRepository(Case)
      .createQueryBuilder('c')
      .where('c.household_id = :householdId', { householdId })
      .andWhere(readableCases(actor))
      .getExists();
    const home = seen ? await m.getRepository(Household).findOneBy({ id: householdId }) : null;
    if (!home) throw DomainError.validation([{ field: 'householdId', message: 'no such household' }]);
    await m.getRepository(HouseholdMember).insert({
      householdId,
      personId: person.id,
      relationship: subject.kind === 'child' ? 'sibling' : 'other',
    });
    return home;
  }

  /**
   * Cases of a person with the same normalized kana name and date, in any
   * district: a 409 naming (no names of people) those the caller may read,
   * and a match token for each other one, so that nothing about it leaks and
   * the consultation can still join it (no second record for the child).
   */
  private async checkDuplicates(m: EntityManager, actor: Actor, kanaKey: string, subject: SubjectDto): Promise<void> {
    const ids = (
      (await m.query(
        `SELECT c.id FROM persons p JOIN cases c ON c.subject_id = p.id
          WHERE p.name_kana_key = $1
            AND (p.birth_date = $2::date OR ($2::date IS NULL AND p.expected_due_date = $3::date))
          ORDER BY c.opened_at DESC`,
        [kanaKey, subject.birthDate ?? null, subject.expectedDueDate ?? null],
      )) as { id: string }[]
    ).map((r) => r.id);
    if (ids.length === 0) return;
    const found = new Map((await m.getRepository(Case).findBy({ id: In(ids) })).map((c) => [c.id, c]));
    const cases = ids.map((id) => found.get(id) as Case);
    const readable = (c: Case) => allows(actor, readPermissionOf(actor), caseAccess(c));
    throw new PossibleDuplicate(
      cases.map((c) =>
        readable(c)
          ? { caseId: c.id, caseNumber: c.number, districtId: c.districtId, status: c.status }
          : { matchToken: this.matchTokens.issue(actor.userId, c.id) },
      ),
      cases.map((c) => ({ caseId: c.id, districtId: c.districtId, shown: readable(c) ? 'case' : 'match_token' })),
    );
  }
}

/** A match token's answer: the ids of what was recorded, nothing about the case. */
function idsOnly(caseId: string, consultationId: string): IntakeResult {
  return { case: { id: caseId }, consultation: { id: consultationId, caseId } };
}
