import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { allows, Actor } from '../access/policy';
import { caseAccess } from './case-lifecycle';
import { AuditLog } from '../audit/audit.service';
import { AppConfig } from '../core/config/app-config';
import { DomainError } from '../core/errors/domain-error';
import { Idempotency, Replayable } from '../core/idempotency';
import { normalizeKana } from '../core/text/normalize';
import { DistrictsService } from '../directory/districts.service';
import { nextCaseNumber } from './case-numbers';
import { CaseRecords } from './case-records';
import { CaseEvent } from './case-event.entity';
import { Case } from './case.entity';
import { Consultation } from './consultation.entity';
import { ConsultationsService } from './consultations.service';
import { HouseholdDto, IntakeDto, SubjectDto } from './dto/intake.dto';
import { setHouseholdAddress } from './household-addresses';
import { Household, HouseholdMember, Person } from './person.entity';
import { consultationView, IntakeResult } from './views';
import { CasesService } from './cases.service';

export interface DuplicateCandidate {
  caseId: string;
  caseNumber: string;
  districtId: string | null;
  status: string;
}

/** The answer was a receipt (ids, number, status, district), not the case. */
const isReceipt = (r: IntakeResult) => !('subject' in r.case);

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
      if (error instanceof DomainError && error.code === 'possible_duplicate') {
        const candidates = (error.extra.candidates ?? []) as DuplicateCandidate[];
        await this.db.transaction((m) =>
          this.audit.recordMany(
            m,
            actor,
            candidates.map((k) => ({
              action: 'read',
              entityType: 'case',
              entityId: k.caseId,
              districtId: k.districtId,
              summary: { via: 'duplicate_check' },
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
      work: (m) => (dto.caseId ? this.addToCase(m, actor, dto.caseId, dto) : this.open(m, actor, dto)),
      keep: (r) => ({
        caseId: r.case.id,
        consultationId: r.consultation.id,
        ...(isReceipt(r) ? { answer: 'receipt' } : {}),
      }),
      replay: async (m, kept) =>
        this.result(
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
      consultation: consultationView(consultation),
    };
  }

  private async addToCase(m: EntityManager, actor: Actor, caseId: string, dto: IntakeDto): Promise<IntakeResult> {
    const c = await this.records.load(m, actor, caseId, 'case.edit', { lock: true, open: true });
    const consultation = await this.consultations.record(m, actor, c, dto.consultation, 'intake');
    return this.result(m, actor, caseId, consultation, { audit: true });
  }

  private async open(m: EntityManager, actor: Actor, dto: IntakeDto): Promise<IntakeResult> {
    const { case: c, consultation } = await this.openCase(m, actor, dto);
    return this.result(m, actor, c.id, consultation, { audit: false });
  }

  /**
   * Opens a case in `intake` for a new subject, with its household and first
   * consultation (also used for incoming referrals without a case).
   */
  async openCase(m: EntityManager, actor: Actor, dto: IntakeDto): Promise<{ case: Case; consultation: Consultation }> {
    const subject = dto.subject as SubjectDto;
    const household = dto.household as HouseholdDto;
    const kanaKey = normalizeKana(`${subject.familyNameKana}${subject.givenNameKana}`);
    const dateKey = subject.birthDate ?? subject.expectedDueDate ?? null;
    // Two intakes for the same child at the same moment: the second waits and then sees the first.
    await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`intake:${kanaKey}:${dateKey}`]);
    if (!dto.confirmNew) {
      const candidates = await this.duplicates(m, kanaKey, subject);
      if (candidates.length > 0) {
        throw new DomainError(
          'possible_duplicate',
          'A case for a child with the same kana name and date exists; add to it (caseId) or confirm a new case (confirmNew)',
          { candidates },
        );
      }
    }
    const person = await m.getRepository(Person).save(
      m.getRepository(Person).create({
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
    const home = dto.householdId
      ? await this.joinHousehold(m, dto.householdId, person, subject, dto.household)
      : await m.getRepository(Household).save({ address: household.address });
    if (!dto.householdId) {
      await setHouseholdAddress(m, home.id, { address: household.address, change: 'intake', recordedBy: actor.userId });
    }
    for (const member of dto.householdId ? [] : household.members) {
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

    const occurredAt = new Date(dto.consultation.occurredAt);
    const { number, fiscalYear } = await nextCaseNumber(m, occurredAt, this.config.TZ_BUSINESS);
    const districtId = await this.districts.suggest(m, home.address);
    const consultation = dto.consultation;
    const c = await m.getRepository(Case).save(
      m.getRepository(Case).create({
        number,
        fiscalYear,
        subjectId: person.id,
        subjectKind: subject.kind,
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
    await m.getRepository(CaseEvent).insert({
      caseId: c.id,
      actorId: actor.userId,
      kind: 'opened',
      toStatus: 'intake',
      details: { districtSuggested: districtId !== null, confirmedNew: dto.confirmNew === true },
    });
    await this.audit.record(m, actor, {
      action: 'create',
      entityType: 'case',
      entityId: c.id,
      districtId,
      summary: {
        number,
        fields: ['subject', 'household', 'consultation'],
        ...(dto.householdId ? { joinedHousehold: home.id } : { members: household.members.length }),
      },
    });
    return { case: c, consultation: await this.consultations.record(m, actor, c, consultation, 'new_case') };
  }

  /**
   * A second child of a family already on record joins its household
   * (domain.md: siblings' cases share the household), as a sibling of the
   * household's first subject, or `other` for an expectant mother.
   */
  private async joinHousehold(
    m: EntityManager,
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
    const home = await m.getRepository(Household).findOneBy({ id: householdId });
    if (!home) throw DomainError.validation([{ field: 'householdId', message: 'no such household' }]);
    await m.getRepository(HouseholdMember).insert({
      householdId,
      personId: person.id,
      relationship: subject.kind === 'child' ? 'sibling' : 'other',
    });
    return home;
  }

  /** Cases of a person with the same normalized kana name and date, in any district (no names). */
  private async duplicates(m: EntityManager, kanaKey: string, subject: SubjectDto): Promise<DuplicateCandidate[]> {
    return (await m.query(
      `SELECT c.id AS "caseId", c.number AS "caseNumber", c.district_id AS "districtId", c.status
         FROM persons p JOIN cases c ON c.subject_id = p.id
        WHERE p.name_kana_key = $1
          AND (p.birth_date = $2::date OR ($2::date IS NULL AND p.expected_due_date = $3::date))
        ORDER BY c.opened_at DESC`,
      [kanaKey, subject.birthDate ?? null, subject.expectedDueDate ?? null],
    )) as DuplicateCandidate[];
  }
}
