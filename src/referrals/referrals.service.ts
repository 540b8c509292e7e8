import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { DataSource, EntityManager, In } from 'typeorm';
import { allows, Actor } from '../access/policy';
import { AuditLog } from '../audit/audit.service';
import { caseAccess } from '../cases/case-lifecycle';
import { CaseRecords, readPermissionOf, scopedToCases } from '../cases/case-records';
import { Case } from '../cases/case.entity';
import { CasesService } from '../cases/cases.service';
import { IntakeService } from '../cases/intake.service';
import { Person } from '../cases/person.entity';
import { caseHeader, CaseHeader } from '../cases/views';
import { DomainError } from '../core/errors/domain-error';
import { ApiCode, ApiDateTime, ApiUuid } from '../core/http/openapi';
import { Page } from '../core/http/pagination';
import { versionConflict } from '../core/http/versioning';
import { Idempotency, Replayable } from '../core/idempotency';
import {
  LEGAL_BASES,
  REFERRAL_DIRECTIONS,
  REFERRAL_KINDS,
  REFERRAL_STATUSES,
  REFERRAL_URGENCIES,
  type Route,
} from '../codes/code-lists';
import { Organization } from '../directory/organization.entity';
import { Notifications } from '../notifications/notifications.service';
import { supervisorsOf } from '../directory/staffing';
import { refOf, UserRef, userRefs } from '../directory/user-ref';
import { SafetyChecks } from '../tasks/safety-checks';
import { CreateReferralDto, ListReferralsQuery, ReferralTransitionDto } from './dto/referral.dto';
import type { TransitionLog } from '../lifecycle/state-machine';
import type { ReferralEventAction, ReferralStatus } from '../codes/code-lists';
import type { ReferralAction } from './referral-lifecycle';
import { TasksService } from '../tasks/tasks.service';
import { ReferralDeadlines } from './referral-deadlines';
import { checkLegalBasis } from './legal-basis';
import { referralLifecycle, referralSubject, ReferralSubject, ReferralTransitionInput } from './referral-lifecycle';
import { Referral } from './referral.entity';

/** Who contacted the center, by the type of the organization that refers (相談経路). */
const ROUTE_OF: Record<string, Route> = {
  child_guidance_center: 'child_guidance_center',
  school: 'school',
  nursery: 'nursery',
  hospital: 'medical',
  police: 'police',
  health_center: 'health_center',
  welfare_office: 'welfare_office',
};

export class ReferralOrganization {
  @ApiUuid() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() councilMember!: boolean;
}

/** One line of a referral's history (`/code-lists`: `referralEventActions`). */
export class ReferralEventView {
  @ApiDateTime() occurredAt!: Date;
  @ApiUuid({ nullable: true }) actorId!: string | null;
  @ApiProperty({ type: UserRef, nullable: true, description: '`actorId`, named' }) actor!: UserRef | null;
  @ApiProperty({ description: 'code list `referralEventActions`' }) action!: string;
  @ApiProperty({ type: String, nullable: true }) fromStatus!: string | null;
  @ApiProperty({ type: String, nullable: true }) toStatus!: string | null;
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
}

export class SuggestedCaseAction {
  @ApiProperty({ enum: ['request_closure'] }) action!: 'request_closure';
  @ApiProperty({ enum: ['transferred'] }) closureReason!: 'transferred';
}

export class ReferralView {
  @ApiUuid() id!: string;
  @ApiUuid() caseId!: string;
  /** The case header only (number, status, district, initials): never summaries or household details. */
  @ApiProperty({ type: CaseHeader }) case!: CaseHeader;
  @ApiCode(REFERRAL_DIRECTIONS) direction!: string;
  @ApiCode(REFERRAL_KINDS) kind!: string;
  @ApiProperty({ type: ReferralOrganization }) organization!: ReferralOrganization;
  /** null for staff when the case is confidential: they see the routing, not the text. */
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
  @ApiCode(REFERRAL_URGENCIES) urgency!: string;
  @ApiCode(LEGAL_BASES) legalBasis!: string;
  @ApiProperty({ type: String, nullable: true }) sharedInformation!: string | null;
  @ApiCode(REFERRAL_STATUSES) status!: string;
  @ApiDateTime({ nullable: true }) responseDueAt!: Date | null;
  @ApiProperty() overdue!: boolean;
  @ApiDateTime({ nullable: true }) sentAt!: Date | null;
  @ApiDateTime({ nullable: true }) respondedAt!: Date | null;
  @ApiDateTime({ nullable: true }) closedAt!: Date | null;
  @ApiUuid() createdBy!: string;
  @ApiProperty({ type: UserRef, description: '`createdBy`, named' }) createdByUser!: UserRef;
  @ApiDateTime() createdAt!: Date;
  @ApiProperty() version!: number;
  @ApiProperty({ type: [String], required: false, description: 'One referral only: the actions it allows now' })
  allowedActions?: string[];
  @ApiProperty({ type: [ReferralEventView], required: false, description: 'One referral only: its history' })
  events?: ReferralEventView[];
  /** After a case transfer completes: the closure the case's counselor may now request. */
  @ApiProperty({ type: SuggestedCaseAction, required: false })
  suggestedCaseAction?: SuggestedCaseAction;
}

/** What a referral's author who may not read its case (another district) gets back: the receipt. */
export class ReferralReceipt {
  @ApiUuid() id!: string;
  @ApiUuid() caseId!: string;
  @ApiCode(REFERRAL_STATUSES) status!: string;
}

/*
 * Queries: referrals, their cases and organizations through the entities and
 * the query builder (the scoped list is scopedToCases). The referral's
 * history, referral_events, has no entity: it is appended and read in raw SQL
 * (recordReferralEvent, view).
 */
@Injectable()
export class ReferralsService {
  constructor(
    private readonly db: DataSource,
    private readonly idempotency: Idempotency,
    private readonly records: CaseRecords,
    private readonly tasks: TasksService,
    private readonly intake: IntakeService,
    private readonly cases: CasesService,
    private readonly deadlines: ReferralDeadlines,
    private readonly safetyChecks: SafetyChecks,
    private readonly notifications: Notifications,
    private readonly audit: AuditLog,
  ) {}

  create(
    actor: Actor,
    dto: CreateReferralDto,
    key: string | undefined,
  ): Promise<Replayable<ReferralView | ReferralReceipt>> {
    const run = () =>
      this.idempotency.run({
        userId: actor.userId,
        scope: 'referral',
        key,
        body: dto,
        status: 201,
        work: (m) => this.record(m, actor, dto),
        keep: (r) => ({ referralId: r.id, ...('case' in r ? {} : { answer: 'receipt' }) }),
        // A receipt is answered again as a receipt; a full answer is read again through the policy.
        replay: async (m, kept) => {
          if (kept.answer !== 'receipt') return this.view(m, actor, kept.referralId);
          const r = await m.getRepository(Referral).findOneByOrFail({ id: kept.referralId });
          return receiptOf(r);
        },
      });
    return this.intake.recordingDuplicateAnswers(actor, run);
  }

  /**
   * POST /referrals, in the idempotent transaction: the organization and the
   * consent basis checked, the case named (or opened by an intake), the
   * referral stored, an incoming one's clock started, and the answer.
   */
  private async record(
    m: EntityManager,
    actor: Actor,
    dto: CreateReferralDto,
  ): Promise<ReferralView | ReferralReceipt> {
    const org = await referredOrganization(m, dto);
    const { c, openedHere } = await this.caseReferred(m, actor, dto, org);
    const now = new Date();
    const referral = await this.store(m, actor, dto, { c, org, openedHere, now });
    if (referral.direction === 'incoming') await this.awaitAnswer(m, dto, { referral, c, openedHere, now });
    // A supervisor may register a referral that opens a case in another district: they get the receipt only.
    if (!allows(actor, 'referral.read', { case: caseAccess(c) })) return receiptOf(referral);
    return this.view(m, actor, referral.id, { audit: false });
  }

  /**
   * The case a referral is about: the one it names, locked (naming a case
   * means seeing it, in both directions: one out of scope is "not found";
   * referring one out needs the right to), or, for an incoming referral about
   * a child without a case, one opened by the same intake and duplicate check
   * as a consultation.
   */
  private async caseReferred(
    m: EntityManager,
    actor: Actor,
    dto: CreateReferralDto,
    org: Organization,
  ): Promise<{ c: Case; openedHere: boolean }> {
    if (dto.caseId) {
      const found = await m
        .getRepository(Case)
        .findOne({ where: { id: dto.caseId }, lock: { mode: 'pessimistic_write' } });
      if (!found || !allows(actor, readPermissionOf(actor), caseAccess(found))) throw DomainError.notFound('Case');
      if (dto.direction === 'outgoing' && !allows(actor, 'referral.create_outgoing', { case: caseAccess(found) })) {
        throw DomainError.forbidden('You may not refer this case');
      }
      return { c: found, openedHere: false };
    }
    const opened = await this.intake.openCase(m, actor, {
      subject: dto.subject,
      household: dto.household ?? { address: '不明', members: [] },
      consultation: {
        occurredAt: new Date().toISOString(),
        channel: dto.channel ?? 'phone',
        route: ROUTE_OF[org.type] ?? 'other',
        consultationType: dto.consultationType ?? (dto.kind === 'notification' ? 'abuse' : 'protection_other'),
        abuseNotification: dto.kind === 'notification',
        durationMinutes: 0,
        summary: `${org.name}からの${dto.kind === 'notification' ? '通告' : '紹介'}: ${dto.reason}`,
      },
      confirmNew: dto.confirmNew,
    });
    return { c: opened.case, openedHere: true };
  }

  /**
   * The referral row, the case's `has_referral` flag, the `created` event and
   * the audit entry. An incoming referral has been sent to us: it is stored
   * as `sent`, with its response due date.
   */
  private async store(
    m: EntityManager,
    actor: Actor,
    dto: CreateReferralDto,
    at: { c: Case; org: Organization; openedHere: boolean; now: Date },
  ): Promise<Referral> {
    const { c, org, now } = at;
    const incoming = dto.direction === 'incoming';
    const referral = m.getRepository(Referral).create({
      caseId: c.id,
      direction: dto.direction,
      kind: dto.kind,
      organizationId: org.id,
      reason: dto.reason,
      urgency: dto.urgency,
      legalBasis: dto.legalBasis,
      sharedInformation: dto.sharedInformation,
      status: incoming ? 'sent' : 'draft',
      agreedResponseDueAt: dto.responseDueAt ? new Date(dto.responseDueAt) : null,
      responseDueAt: null,
      sentAt: incoming ? now : null,
      sentBy: null,
      respondedAt: null,
      closedAt: null,
      createdBy: actor.userId,
    });
    if (incoming) referral.responseDueAt = this.deadlines.dueDateOf(referral, now);
    const saved = await m.getRepository(Referral).save(referral);
    await this.cases.markReferred(m, c.id);
    await recordReferralEvent(m, actor, saved.id, 'created', null, saved.status, null);
    await this.audit.record(m, actor, {
      action: 'create',
      entityType: 'referral',
      entityId: saved.id,
      districtId: c.districtId,
      summary: {
        caseId: c.id,
        direction: saved.direction,
        kind: saved.kind,
        organizationId: org.id,
        councilMember: org.councilMember,
        legalBasis: saved.legalBasis,
        recordedBy: actor.userId,
        openedCase: at.openedHere,
      },
    });
    return saved;
  }

  /**
   * An incoming referral waits for our answer: its overdue check is
   * scheduled, and a notification (通告) on an existing case starts the
   * 48-hour rule (a case opened here got it from its intake consultation).
   */
  private async awaitAnswer(
    m: EntityManager,
    dto: CreateReferralDto,
    at: { referral: Referral; c: Case; openedHere: boolean; now: Date },
  ): Promise<void> {
    await this.deadlines.schedule(m, at.referral, at.referral.responseDueAt as Date);
    if (dto.kind === 'notification' && !at.openedHere) {
      await this.safetyChecks.reportReceived(m, at.c, {
        source: 'referral',
        sourceId: at.referral.id,
        receivedAt: at.now,
      });
    }
  }

  async list(actor: Actor, query: ListReferralsQuery): Promise<Page<ReferralView>> {
    const qb = this.db
      .getRepository(Referral)
      .createQueryBuilder('r')
      .innerJoin(Case, 'c', 'c.id = r.case_id')
      .where(scopedToCases(actor, 'referral.read'));
    if (query.status) qb.andWhere('r.status = :status', { status: query.status });
    if (query.direction) qb.andWhere('r.direction = :direction', { direction: query.direction });
    if (query.organizationId) qb.andWhere('r.organization_id = :org', { org: query.organizationId });
    if (query.caseId) qb.andWhere('r.case_id = :caseId', { caseId: query.caseId });
    const overdue = `(r.status = 'sent' AND r.response_due_at < now())`;
    if (query.overdue === 'true') qb.andWhere(overdue);
    if (query.overdue === 'false') qb.andWhere(`NOT ${overdue}`);
    return this.records.page(this.db.manager, actor, qb, query, {
      keyset: { at: 'r.created_at', id: 'r.id', order: 'DESC', keyOf: (r) => [r.createdAt, r.id] },
      present: (rows) => this.views(this.db.manager, actor, rows),
      audit: (v) => ({
        entityType: 'referral',
        entityId: v.id,
        districtId: v.case.districtId,
        summary: { via: 'list' },
      }),
    });
  }

  async get(actor: Actor, id: string): Promise<ReferralView> {
    return this.db.transaction((m) => this.view(m, actor, id));
  }

  /** POST /referrals/{id}/transitions: one row of the lifecycle table, with its event. */
  async transition(actor: Actor, id: string, dto: ReferralTransitionDto): Promise<ReferralView> {
    return this.db.transaction(async (m) => {
      const { referral: r, c, org } = await this.load(m, actor, id, true);
      if (dto.version !== undefined && dto.version !== r.version) throw versionConflict(r.version);
      const input = { note: dto.note, responseDueDateOf: (x: Referral, at: Date) => this.deadlines.dueDateOf(x, at) };
      const step = await referralLifecycle.apply(
        m,
        this.audit,
        referralSubject(r, c, org),
        dto.action,
        { actor, input, now: new Date() },
        REFERRAL_TRANSITIONS,
      );
      if (step.action === 'send') await this.deadlines.schedule(m, r, r.responseDueAt as Date);
      // The answer came (or the question was withdrawn): the follow-up is done, by its owner.
      if (step.from === 'sent') {
        await this.tasks.closeReferralFollowUps(
          m,
          actor,
          r.id,
          dto.action === 'withdraw' ? '紹介を取り下げ' : '回答あり',
        );
      }
      const view = await this.view(m, actor, r.id, { audit: false });
      if (
        step.to === 'completed' &&
        r.kind === 'case_transfer' &&
        ['assessment', 'active', 'monitoring'].includes(c.status)
      ) {
        // 送致・移管 done: offer closing the case as transferred, through the normal closure approval.
        const recipients = [c.primaryCounselorId, ...(await supervisorsOf(m, c.districtId))].filter((u): u is string =>
          Boolean(u),
        );
        await this.notifications.deliver(m, recipients, {
          eventKey: `case-transfer-completed.${r.id}`,
          kind: 'case_transfer_completed',
          title: `移管が完了しました: 終結（移管）を申請できます（${c.number}）`,
          caseId: c.id,
          referralId: r.id,
        });
        return { ...view, suggestedCaseAction: { action: 'request_closure', closureReason: 'transferred' } };
      }
      return view;
    });
  }

  private async load(m: EntityManager, actor: Actor, id: string, lock = false) {
    const referral = await m
      .getRepository(Referral)
      .findOne({ where: { id }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!referral) throw DomainError.notFound('Referral');
    const c = await m.getRepository(Case).findOneByOrFail({ id: referral.caseId });
    if (!allows(actor, 'referral.read', { case: caseAccess(c) })) throw DomainError.notFound('Referral');
    const org = await m.getRepository(Organization).findOneByOrFail({ id: referral.organizationId });
    return { referral, c, org };
  }

  private async view(
    m: EntityManager,
    actor: Actor,
    id: string,
    options: { audit?: boolean } = {},
  ): Promise<ReferralView> {
    const { referral, c, org } = await this.load(m, actor, id);
    const [view] = await this.views(m, actor, [referral]);
    const rows = (await m.query(
      `SELECT occurred_at AS "occurredAt", actor_id AS "actorId", action, from_status AS "fromStatus", to_status AS "toStatus", note
         FROM referral_events WHERE referral_id = $1 ORDER BY id`,
      [id],
    )) as Omit<ReferralEventView, 'actor'>[];
    const users = await userRefs(
      m,
      rows.map((e) => e.actorId),
    );
    const events = rows.map((e): ReferralEventView => ({ ...e, actor: refOf(users, e.actorId) }));
    if (routingOnly(actor, c)) events.forEach((e) => (e.note = null));
    if (options.audit !== false) {
      await this.audit.record(m, actor, {
        action: 'read',
        entityType: 'referral',
        entityId: id,
        districtId: c.districtId,
      });
    }
    return {
      ...view,
      allowedActions: referralLifecycle.allowedActions(referralSubject(referral, c, org), actor),
      events,
    };
  }

  /** Referral rows with their case header, organization and creator's name, in four queries for a whole page. */
  private async views(m: EntityManager, actor: Actor, rows: Referral[]): Promise<ReferralView[]> {
    if (rows.length === 0) return [];
    const cases = await m.getRepository(Case).findBy({ id: In([...new Set(rows.map((r) => r.caseId))]) });
    const people = await m.getRepository(Person).findBy({ id: In(cases.map((c) => c.subjectId)) });
    const orgs = await m
      .getRepository(Organization)
      .findBy({ id: In([...new Set(rows.map((r) => r.organizationId))]) });
    const users = await userRefs(
      m,
      rows.map((r) => r.createdBy),
    );
    return rows.map((r) => {
      const c = cases.find((x) => x.id === r.caseId) as Case;
      const org = orgs.find((o) => o.id === r.organizationId) as Organization;
      const textHidden = routingOnly(actor, c);
      return {
        id: r.id,
        caseId: r.caseId,
        case: caseHeader(c, people.find((p) => p.id === c.subjectId) as Person),
        direction: r.direction,
        kind: r.kind,
        organization: { id: org.id, name: org.name, councilMember: org.councilMember },
        reason: textHidden ? null : r.reason,
        urgency: r.urgency,
        legalBasis: r.legalBasis,
        sharedInformation: textHidden ? null : r.sharedInformation,
        status: r.status,
        responseDueAt: r.responseDueAt,
        overdue: r.status === 'sent' && r.responseDueAt !== null && r.responseDueAt.getTime() < Date.now(),
        sentAt: r.sentAt,
        respondedAt: r.respondedAt,
        closedAt: r.closedAt,
        createdBy: r.createdBy,
        createdByUser: refOf(users, r.createdBy),
        createdAt: r.createdAt,
        version: r.version,
      };
    });
  }
}

/**
 * The organization a new referral goes to or comes from: it must exist and
 * be active, a notification (通告) is always incoming, and the legal basis
 * for sharing must hold for this organization (legal-basis.ts).
 */
async function referredOrganization(m: EntityManager, dto: CreateReferralDto): Promise<Organization> {
  if (dto.kind === 'notification' && dto.direction !== 'incoming') {
    throw DomainError.validation([{ field: 'kind', message: 'a notification (通告) is always incoming' }]);
  }
  const org = await m.getRepository(Organization).findOneBy({ id: dto.organizationId });
  if (!org || !org.active) throw DomainError.validation([{ field: 'organizationId', message: 'no such organization' }]);
  checkLegalBasis(dto.direction, dto.legalBasis, org);
  return org;
}

/**
 * Staff (header readers) see a confidential case's referrals as routing only
 * (organization, kind, status, dates): the reason and the information shared
 * can say where a family in hiding is, or why.
 */
function routingOnly(actor: Actor, c: Case): boolean {
  return c.confidential && readPermissionOf(actor) === 'case.read_header';
}

/** What someone who registered a referral but may not read it gets back. */
function receiptOf(r: Referral): ReferralReceipt {
  return { id: r.id, caseId: r.caseId, status: r.status };
}

/** How a referral keeps a step of its lifecycle: the referral saved, a referral event, and its audit entry. */
const REFERRAL_TRANSITIONS: TransitionLog<ReferralStatus, ReferralAction, ReferralSubject, ReferralTransitionInput> = {
  async write(m, { referral }, step, { actor, input, now }) {
    referral.updatedAt = now;
    await m.getRepository(Referral).save(referral);
    await recordReferralEvent(m, actor, referral.id, step.action, step.from, step.to, input.note ?? null);
  },
  audit: ({ referral, case: c }, step) => ({
    action: 'transition',
    entityType: 'referral',
    entityId: referral.id,
    districtId: c.districtId,
    summary: {
      action: step.action,
      from: step.from,
      to: step.to,
      ...(step.action === 'send' ? { legalBasis: referral.legalBasis } : {}),
    },
  }),
};

/** A line of the referral's own history (referral_events). */
async function recordReferralEvent(
  m: EntityManager,
  actor: Actor,
  referralId: string,
  action: ReferralEventAction,
  from: string | null,
  to: string,
  note: string | null,
): Promise<void> {
  await m.query(
    `INSERT INTO referral_events (referral_id, actor_id, action, from_status, to_status, note) VALUES ($1, $2, $3, $4, $5, $6)`,
    [referralId, actor.userId, action, from, to, note],
  );
}
