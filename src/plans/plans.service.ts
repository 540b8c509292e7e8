import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../access/policy';
import { AuditLog } from '../audit/audit.service';
import { CaseRecords } from '../cases/case-records';
import type { Case } from '../cases/case.entity';
import { DomainError, FieldError } from '../core/errors/domain-error';
import { refOf, UserRef, userRefs } from '../directory/user-ref';
import { versionConflict } from '../core/http/versioning';
import type { PlanAction, PlanStatus } from '../codes/code-lists';
import type { TransitionLog } from '../lifecycle/state-machine';
import { FollowUpRules } from '../tasks/follow-up-rules';
import {
  CreatePlanDto,
  PlanAgreementDto,
  PlanDelivery,
  PlanGoal,
  PlanList,
  PlanSupport,
  PlanTransitionDto,
  PlanView,
  UpdatePlanDto,
} from './dto/plan.dto';
import { PLANNABLE, planLifecycle, planSubject, PlanSubject, PlanTransitionInput } from './plan-lifecycle';
import { ServiceCatalog } from './service-catalog';

interface PlanRow {
  id: string;
  caseId: string;
  versionNumber: number;
  status: PlanStatus;
  subjectWishes: string;
  guardianWishes: string;
  needs: string;
  goals: PlanGoal[];
  supports: PlanSupport[];
  leadAgencyId: string | null;
  nextReviewAt: Date;
  draftedBy: string;
  submittedAt: Date | null;
  submittedBy: string | null;
  approvedAt: Date | null;
  approvedBy: string | null;
  returnedAt: Date | null;
  returnedBy: string | null;
  returnReason: string | null;
  supersededAt: Date | null;
  explainedOn: string | null;
  explainedBy: string | null;
  agreedBy: string | null;
  agreementNote: string | null;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

const COLUMNS = `id, case_id AS "caseId", version_number AS "versionNumber", status,
  subject_wishes AS "subjectWishes", guardian_wishes AS "guardianWishes", needs, goals, supports,
  lead_agency_id AS "leadAgencyId", next_review_at AS "nextReviewAt", drafted_by AS "draftedBy",
  submitted_at AS "submittedAt", submitted_by AS "submittedBy", approved_at AS "approvedAt",
  approved_by AS "approvedBy", returned_at AS "returnedAt", returned_by AS "returnedBy",
  return_reason AS "returnReason", superseded_at AS "supersededAt",
  to_char(explained_on, 'YYYY-MM-DD') AS "explainedOn", explained_by AS "explainedBy", agreed_by AS "agreedBy",
  agreement_note AS "agreementNote", created_at AS "createdAt", updated_at AS "updatedAt", version`;

/**
 * Support plans (サポートプラン, 児童福祉法 第10条第1項第4号; docs/domain.md):
 * versions over time, one in the making and one in force at most; drafted
 * by whoever may edit the case, approved by a supervisor of its district,
 * then explained to and agreed with the family. Access follows the case:
 * reading a plan is reading the case.
 */
@Injectable()
export class PlansService {
  constructor(
    private readonly db: DataSource,
    private readonly records: CaseRecords,
    private readonly catalog: ServiceCatalog,
    private readonly rules: FollowUpRules,
    private readonly audit: AuditLog,
  ) {}

  /** Every version of the case's plan, newest first. */
  async list(actor: Actor, caseId: string): Promise<PlanList> {
    return this.db.transaction(async (m) => {
      const c = await this.records.load(m, actor, caseId, 'case.read');
      const rows = (await m.query(
        `SELECT ${COLUMNS} FROM support_plans WHERE case_id = $1 ORDER BY version_number DESC`,
        [c.id],
      )) as PlanRow[];
      await this.audit.record(m, actor, {
        action: 'read',
        entityType: 'support_plans',
        entityId: c.id,
        districtId: c.districtId,
      });
      return { items: await this.views(m, actor, c, rows), nextCursor: null };
    });
  }

  async get(actor: Actor, id: string): Promise<PlanView> {
    return this.db.transaction(async (m) => {
      const { plan, c } = await this.load(m, actor, id, 'case.read');
      await this.audited(m, actor, c, plan, 'read', {});
      return this.view(m, actor, c, plan);
    });
  }

  /** A new version, as a draft: the first plan of the case, or the revision of the one in force. */
  async create(actor: Actor, caseId: string, dto: CreatePlanDto): Promise<PlanView> {
    return this.db.transaction(async (m) => {
      // Locking the case serializes version numbers.
      const c = await this.records.load(m, actor, caseId, 'case.edit', { lock: true, open: true });
      if (!PLANNABLE.includes(c.status)) {
        throw new DomainError('conflict', `A support plan is made for a case in assessment, active or monitoring`);
      }
      await this.check(m, dto);
      const [open] = (await m.query(
        `SELECT version_number AS n FROM support_plans WHERE case_id = $1 AND status IN ('draft', 'submitted')`,
        [c.id],
      )) as { n: number }[];
      if (open) {
        throw new DomainError('conflict', `Version ${open.n} of the plan is still being drafted or approved`);
      }
      const [plan] = (await m.query(
        `INSERT INTO support_plans (case_id, version_number, status, subject_wishes, guardian_wishes, needs, goals,
                                    supports, lead_agency_id, next_review_at, drafted_by)
         VALUES ($1, (SELECT coalesce(max(version_number), 0) + 1 FROM support_plans WHERE case_id = $1), 'draft',
                 $2, $3, $4, $5, $6, $7, $8, $9)
         RETURNING ${COLUMNS}`,
        [
          c.id,
          dto.subjectWishes ?? '',
          dto.guardianWishes ?? '',
          dto.needs,
          JSON.stringify(dto.goals.map(goalOf)),
          JSON.stringify(dto.supports.map(supportOf)),
          dto.leadAgencyId ?? null,
          dto.nextReviewAt,
          actor.userId,
        ],
      )) as PlanRow[];
      await this.audited(m, actor, c, plan, 'create', { versionNumber: plan.versionNumber });
      return this.view(m, actor, c, plan);
    });
  }

  /** Changes a draft; every other version is read-only. */
  async update(actor: Actor, id: string, version: number, dto: UpdatePlanDto): Promise<PlanView> {
    return this.db.transaction(async (m) => {
      const { plan, c } = await this.load(m, actor, id, 'case.edit', true);
      if (plan.version !== version) throw versionConflict(plan.version);
      if (plan.status !== 'draft') {
        throw new DomainError(
          'conflict',
          `Version ${plan.versionNumber} is ${plan.status} and read-only; draft a new version to revise it`,
        );
      }
      await this.check(m, dto);
      const { version: _v, ...changes } = dto;
      const [[updated]] = (await m.query(
        `UPDATE support_plans SET subject_wishes = $2, guardian_wishes = $3, needs = $4, goals = $5, supports = $6,
                lead_agency_id = $7, next_review_at = $8, updated_at = now(), version = version + 1
          WHERE id = $1 RETURNING ${COLUMNS}`,
        [
          plan.id,
          dto.subjectWishes ?? plan.subjectWishes,
          dto.guardianWishes ?? plan.guardianWishes,
          dto.needs ?? plan.needs,
          JSON.stringify(dto.goals ? dto.goals.map(goalOf) : plan.goals),
          JSON.stringify(dto.supports ? dto.supports.map(supportOf) : plan.supports),
          // `leadAgencyId: null` hands the lead back to the center; left out, it stays.
          dto.leadAgencyId === undefined ? plan.leadAgencyId : dto.leadAgencyId,
          dto.nextReviewAt ?? plan.nextReviewAt,
        ],
      )) as [PlanRow[], number];
      await this.audited(m, actor, c, plan, 'update', { fields: Object.keys(changes) });
      return this.view(m, actor, c, updated);
    });
  }

  /**
   * submit, approve, return: one row of the plan lifecycle. Approving puts
   * the version in force: the one before is superseded, and the next review
   * date becomes a `review` task through the tasks' own rule.
   */
  async transition(actor: Actor, id: string, dto: PlanTransitionDto): Promise<PlanView> {
    return this.db.transaction(async (m) => {
      const { plan, c } = await this.load(m, actor, id, 'case.read', true);
      if (dto.version !== undefined && dto.version !== plan.version) throw versionConflict(plan.version);
      // The stored version is read back into `plan` (PLAN_TRANSITIONS.write).
      const step = await planLifecycle.apply(
        m,
        this.audit,
        planSubject(plan, c),
        dto.action,
        { actor, input: { reason: dto.reason }, now: new Date() },
        PLAN_TRANSITIONS,
      );
      if (step.action !== 'approve') return this.view(m, actor, c, plan);
      // The next review date becomes a `review` task, as a conference's does.
      const task = await this.rules.decidedReview(m, c, {
        title: `支援計画（第${plan.versionNumber}版）の見直し ${c.number}`,
        dueAt: new Date(plan.nextReviewAt),
        origin: 'plan',
        originKey: `plan:${plan.id}`,
        decidedBy: actor.userId,
      });
      return { ...(await this.view(m, actor, c, plan)), reviewTaskId: task?.id ?? null };
    });
  }

  /** Records that the plan in force was explained to and agreed with the family: once, by whoever may edit the case. */
  async agree(actor: Actor, id: string, dto: PlanAgreementDto): Promise<PlanView> {
    return this.db.transaction(async (m) => {
      const { plan, c } = await this.load(m, actor, id, 'case.edit', true);
      if (plan.status !== 'approved') {
        throw new DomainError('conflict', 'Only the approved plan in force is explained to the family');
      }
      if (plan.explainedOn) {
        throw new DomainError('conflict', `The family's agreement was recorded on ${plan.explainedOn}`);
      }
      const [[updated]] = (await m.query(
        `UPDATE support_plans SET explained_on = $2, explained_by = $3, agreed_by = $4, agreement_note = $5,
                updated_at = now(), version = version + 1
          WHERE id = $1 RETURNING ${COLUMNS}`,
        [plan.id, dto.explainedOn, actor.userId, dto.agreedBy, dto.note ?? null],
      )) as [PlanRow[], number];
      await this.audited(m, actor, c, plan, 'update', { fields: ['familyAgreement'] });
      return this.view(m, actor, c, updated);
    });
  }

  /** References a plan names must exist: offered services, organizations of the directory, a future review. */
  private async check(m: EntityManager, dto: Partial<CreatePlanDto>): Promise<void> {
    const errors: FieldError[] = [];
    for (const [i, s] of (dto.supports ?? []).entries()) {
      if (s.serviceCode) {
        await this.catalog.offered(m, s.serviceCode, `supports[${i}].serviceCode`);
      }
    }
    const orgs = [
      ...(dto.supports ?? []).flatMap((s, i) =>
        s.organizationId ? [{ id: s.organizationId, field: `supports[${i}].organizationId` }] : [],
      ),
      ...(dto.leadAgencyId ? [{ id: dto.leadAgencyId, field: 'leadAgencyId' }] : []),
    ];
    if (orgs.length > 0) {
      const found = (await m.query(`SELECT id FROM organizations WHERE id = ANY($1::uuid[])`, [
        orgs.map((o) => o.id),
      ])) as { id: string }[];
      for (const o of orgs) {
        if (!found.some((f) => f.id === o.id))
          errors.push({ field: o.field, code: 'not_found', message: 'names an unknown organization' });
      }
    }
    if (dto.nextReviewAt && Date.parse(dto.nextReviewAt) <= Date.now()) {
      errors.push({ field: 'nextReviewAt', code: 'in_the_past', message: 'must be in the future' });
    }
    if (errors.length > 0) throw DomainError.validation(errors);
  }

  /** A plan version and its case; a plan of a case out of read scope is a 404. */
  private async load(
    m: EntityManager,
    actor: Actor,
    id: string,
    permission: 'case.read' | 'case.edit',
    lock = false,
  ): Promise<{ plan: PlanRow; c: Case }> {
    const [plan] = (await m.query(`SELECT ${COLUMNS} FROM support_plans WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`, [
      id,
    ])) as PlanRow[];
    if (!plan) throw DomainError.notFound('Support plan');
    // A write (it locks the plan) needs an open case.
    const c = await this.records.load(m, actor, plan.caseId, permission, { open: lock }).catch((error: unknown) => {
      throw error instanceof DomainError && error.code === 'not_found' ? DomainError.notFound('Support plan') : error;
    });
    return { plan, c };
  }

  private async view(m: EntityManager, actor: Actor, c: Case, r: PlanRow): Promise<PlanView> {
    return (await this.views(m, actor, c, [r]))[0];
  }

  /**
   * Plan versions as answers: what was delivered against each and the staff
   * each names (issue 13), in one query apiece for all of them, so a case's
   * list costs what one version does.
   */
  private async views(m: EntityManager, actor: Actor, c: Case, rows: PlanRow[]): Promise<PlanView[]> {
    if (rows.length === 0) return [];
    const delivered = (await m.query(
      `SELECT plan_id AS "planId", service_code AS "serviceCode", count(*)::int AS uses, sum(persons)::int AS persons,
              coalesce(sum(nights), 0)::int AS nights, coalesce(sum(hours), 0)::float8 AS hours
         FROM service_uses WHERE plan_id = ANY($1::uuid[]) AND status = 'recorded'
        GROUP BY plan_id, service_code ORDER BY service_code`,
      [rows.map((r) => r.id)],
    )) as (PlanDelivery & { planId: string })[];
    const users = await userRefs(
      m,
      rows.flatMap((r) => [r.draftedBy, r.submittedBy, r.approvedBy, r.returnedBy, r.explainedBy]),
    );
    return rows.map((r) => planView(r, users, delivered, planLifecycle.allowedActions(planSubject(r, c), actor)));
  }

  private audited(
    m: EntityManager,
    actor: Actor,
    c: Case,
    plan: PlanRow,
    action: 'read' | 'create' | 'update',
    summary: Record<string, unknown>,
  ): Promise<void> {
    return this.audit.record(m, actor, {
      action,
      entityType: 'support_plan',
      entityId: plan.id,
      districtId: c.districtId,
      summary: { caseId: c.id, ...summary },
    });
  }
}

/** What each step stamps on the version, beside its status (the first three parameters: id, status, actor). */
const STAMPS: Record<PlanAction, string> = {
  submit: `submitted_at = now(), submitted_by = $3`,
  approve: `approved_at = now(), approved_by = $3`,
  return: `returned_at = now(), returned_by = $3, return_reason = $4`,
};

/**
 * How a plan version keeps a step of its lifecycle: approving supersedes the
 * version in force; the version is stamped and read back; the audit entry
 * names the step. A plan has no event table: the stamps are its history.
 */
const PLAN_TRANSITIONS: TransitionLog<PlanStatus, PlanAction, PlanSubject, PlanTransitionInput> = {
  async write(m, { plan, case: c }, step, { actor, input }) {
    if (step.action === 'approve') {
      await m.query(
        `UPDATE support_plans SET status = 'superseded', superseded_at = now(), updated_at = now(),
                version = version + 1
          WHERE case_id = $1 AND status = 'approved'`,
        [c.id],
      );
    }
    const [[stored]] = (await m.query(
      `UPDATE support_plans SET status = $2, ${STAMPS[step.action]}, updated_at = now(), version = version + 1
        WHERE id = $1 RETURNING ${COLUMNS}`,
      [plan.id, step.to, actor.userId, ...(step.action === 'return' ? [input.reason] : [])],
    )) as [PlanRow[], number];
    Object.assign(plan, stored);
  },
  audit: ({ plan, case: c }, step) => ({
    action: 'transition',
    entityType: 'support_plan',
    entityId: plan.id,
    districtId: c.districtId,
    summary: { caseId: c.id, action: step.action, from: step.from, to: step.to },
  }),
};

function planView(
  r: PlanRow,
  users: Map<string, UserRef>,
  delivered: (PlanDelivery & { planId: string })[],
  allowedActions: PlanAction[],
): PlanView {
  const { explainedOn, explainedBy, agreedBy, agreementNote, ...rest } = r;
  return {
    ...rest,
    draftedByUser: refOf(users, r.draftedBy),
    submittedByUser: refOf(users, r.submittedBy),
    approvedByUser: refOf(users, r.approvedBy),
    returnedByUser: refOf(users, r.returnedBy),
    familyAgreement:
      explainedOn && explainedBy && agreedBy
        ? { explainedOn, explainedBy, explainedByUser: refOf(users, explainedBy), agreedBy, note: agreementNote }
        : null,
    delivered: delivered.filter((d) => d.planId === r.id).map(({ planId: _p, ...d }) => d),
    allowedActions,
  };
}

const goalOf = (g: PlanGoal): PlanGoal => ({ goal: g.goal, targetDate: g.targetDate });

/** Stored without empty keys, so a version reads back as it was written. */
const supportOf = (s: PlanSupport): PlanSupport => ({
  ...(s.serviceCode ? { serviceCode: s.serviceCode } : {}),
  ...(s.organizationId ? { organizationId: s.organizationId } : {}),
  role: s.role,
  ...(s.frequency ? { frequency: s.frequency } : {}),
});
