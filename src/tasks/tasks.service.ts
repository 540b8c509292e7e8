import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { DataSource, EntityManager } from 'typeorm';
import type { Permission } from '../access/matrix';
import { allows, Actor, authorize, FieldMap } from '../access/policy';
import { AuditLog } from '../audit/audit.service';
import { caseAccess } from '../cases/case-lifecycle';
import { assertOpen, CaseRecords, readPermissionOf, scopedToCases } from '../cases/case-records';
import { Case } from '../cases/case.entity';
import { DomainError } from '../core/errors/domain-error';
import { ApiCode, ApiDateTime, ApiUuid } from '../core/http/openapi';
import { Page } from '../core/http/pagination';
import {
  SAFETY_CHECK_RESULTS,
  SIGHTING_METHODS,
  TASK_KINDS,
  TASK_PRIORITIES,
  TASK_STATUSES,
  type SafetyCheckResult,
  type SightingMethod,
  type TaskKind,
  type TaskPriority,
  type TaskStatus,
} from '../codes/code-lists';
import { versionConflict } from '../core/http/versioning';
import { recordCaseEvent } from '../cases/case-timeline';
import { Notifications } from '../notifications/notifications.service';
import { formatBusinessTime } from '../core/time/business-time';
import { AppConfig } from '../core/config/app-config';
import {
  CancelTaskDto,
  CompleteTaskDto,
  CreateTaskDto,
  ListTasksQuery,
  SafetyCheckOutcomeDto,
  UpdateTaskDto,
} from './dto/task.dto';
import { mayTakeTask, supervisorsOf } from '../directory/staffing';
import { refOf, UserRef, userRefs } from '../directory/user-ref';
import { FollowUpRules } from './follow-up-rules';
import { TaskFactory } from './task-factory';
import { SafetyCheckOutcome, Task } from './task.entity';

/** What a completed safety check found (domain.md, "48-hour rule"). */
export class SafetyCheckOutcomeView {
  @ApiDateTime({ description: 'When the child was seen, or seeing was tried' }) seenAt!: string;
  @ApiProperty() place!: string;
  @ApiProperty() seenBy!: string;
  @ApiCode(SIGHTING_METHODS, { nullable: true }) method!: SightingMethod | null;
  @ApiCode(SAFETY_CHECK_RESULTS) result!: SafetyCheckResult;
  @ApiProperty({ type: String, nullable: true }) concerns!: string | null;
}

export class SafetyCheckReportView {
  @ApiProperty({ enum: ['consultation', 'referral'] }) source!: 'consultation' | 'referral';
  @ApiUuid() sourceId!: string;
  @ApiDateTime() receivedAt!: string;
}

export class TaskView {
  @ApiUuid() id!: string;
  @ApiUuid() caseId!: string;
  @ApiUuid({ nullable: true }) referralId!: string | null;
  @ApiCode(TASK_KINDS) kind!: TaskKind;
  @ApiProperty() title!: string;
  @ApiDateTime() dueAt!: Date;
  @ApiUuid() assigneeId!: string;
  @ApiProperty({ type: UserRef, description: 'The assignee, named' }) assignee!: UserRef;
  @ApiCode(TASK_PRIORITIES) priority!: TaskPriority;
  @ApiCode(TASK_STATUSES) status!: TaskStatus;
  @ApiProperty({ description: 'code list `taskOrigins`' }) origin!: string;
  @ApiUuid({ nullable: true, description: 'null for a task a rule made' }) createdBy!: string | null;
  @ApiProperty({ type: UserRef, nullable: true, description: '`createdBy`, named' })
  createdByUser!: UserRef | null;
  @ApiDateTime({ nullable: true }) closedAt!: Date | null;
  @ApiUuid({ nullable: true }) closedBy!: string | null;
  @ApiProperty({ type: UserRef, nullable: true, description: '`closedBy`, named' }) closedByUser!: UserRef | null;
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
  @ApiProperty({
    type: [SafetyCheckReportView],
    description: 'A safety check: the abuse reports it answers, oldest first',
  })
  reports!: SafetyCheckReportView[];
  @ApiProperty({ type: SafetyCheckOutcomeView, nullable: true, description: 'A completed safety check only' })
  outcome!: SafetyCheckOutcomeView | null;
  @ApiDateTime() createdAt!: Date;
  @ApiDateTime() updatedAt!: Date;
  @ApiProperty() version!: number;
  @ApiProperty({ description: 'Open and past its due time' }) overdue!: boolean;
}

/** Every column of a task is in its answer but these internals; a new column fails the build until it is placed. */
type TaskInternals = 'originKey' | 'dueSetAt';
type Unanswered = Exclude<keyof Task, TaskInternals | keyof TaskView>;
export const everyTaskColumnAnswered: [Unanswered] extends [never] ? true : Unanswered = true;

const taskView = (t: Task, users: Map<string, UserRef>): TaskView => ({
  id: t.id,
  caseId: t.caseId,
  referralId: t.referralId,
  kind: t.kind,
  title: t.title,
  dueAt: t.dueAt,
  assigneeId: t.assigneeId,
  assignee: refOf(users, t.assigneeId),
  priority: t.priority,
  status: t.status,
  origin: t.origin,
  createdBy: t.createdBy,
  createdByUser: refOf(users, t.createdBy),
  closedAt: t.closedAt,
  closedBy: t.closedBy,
  closedByUser: refOf(users, t.closedBy),
  note: t.note,
  reports: t.reports,
  outcome: t.outcome,
  createdAt: t.createdAt,
  updatedAt: t.updatedAt,
  version: t.version,
  overdue: t.status === 'open' && t.dueAt.getTime() < Date.now(),
});

/** Tasks as answers, with the staff they name (issue 13): one query for the names of a whole page. */
async function taskViews(m: EntityManager, tasks: Task[]): Promise<TaskView[]> {
  const users = await userRefs(
    m,
    tasks.flatMap((t) => [t.assigneeId, t.createdBy, t.closedBy]),
  );
  return tasks.map((t) => taskView(t, users));
}

const oneTaskView = async (m: EntityManager, t: Task): Promise<TaskView> => (await taskViews(m, [t]))[0];

/** Made by a rule the system runs (48-hour rule, reviews, conferences, referral follow-ups), not by hand. */
const isRuleTask = (t: Pick<Task, 'origin'>) => t.origin !== 'manual';

const outcomeOf = (dto: SafetyCheckOutcomeDto): SafetyCheckOutcome => ({
  seenAt: new Date(dto.seenAt).toISOString(),
  place: dto.place,
  seenBy: dto.seenBy,
  method: dto.method ?? null,
  result: dto.result,
  concerns: dto.result === 'concerns' ? (dto.concerns ?? null) : null,
});

/** A task's access shape: its assignee and kind, and its case's. */
const taskAccess = (t: Pick<Task, 'assigneeId' | 'kind'>, c: Case) => ({
  assigneeId: t.assigneeId,
  kind: t.kind,
  case: caseAccess(c),
});

/** A task's own fields in its access shape; its case's come from the one case field map. */
const TASK_OWN_FIELDS: FieldMap = { assigneeId: { sql: 't.assignee_id' }, kind: { sql: 't.kind' } };

@Injectable()
export class TasksService {
  constructor(
    private readonly db: DataSource,
    private readonly factory: TaskFactory,
    private readonly rules: FollowUpRules,
    private readonly records: CaseRecords,
    private readonly audit: AuditLog,
    private readonly notifications: Notifications,
    private readonly config: AppConfig,
  ) {}

  async list(actor: Actor, query: ListTasksQuery): Promise<Page<TaskView>> {
    const qb = this.db
      .getRepository(Task)
      .createQueryBuilder('t')
      .innerJoin(Case, 'c', 'c.id = t.case_id')
      .where(scopedToCases(actor, 'task.read', { own: TASK_OWN_FIELDS }));
    if (query.assigneeId) {
      qb.andWhere('t.assignee_id = :assignee', {
        assignee: query.assigneeId === 'me' ? actor.userId : query.assigneeId,
      });
    }
    if (query.status) qb.andWhere('t.status = :status', { status: query.status });
    if (query.overdue === 'true') qb.andWhere(`t.status = 'open' AND t.due_at < now()`);
    if (query.overdue === 'false') qb.andWhere(`NOT (t.status = 'open' AND t.due_at < now())`);
    if (query.caseId) qb.andWhere('t.case_id = :caseId', { caseId: query.caseId });
    if (query.kind) qb.andWhere('t.kind = :kind', { kind: query.kind });
    if (query.dueBefore) qb.andWhere('t.due_at < :dueBefore', { dueBefore: query.dueBefore });
    // A task's title and kind tell about its case (a safety check means abuse was reported): reads are audited.
    return this.records.page(this.db.manager, actor, qb, query, {
      keyset: { at: 't.due_at', id: 't.id', order: 'ASC', keyOf: (t) => [t.dueAt, t.id] },
      present: (rows) => taskViews(this.db.manager, rows),
      audit: (t) => ({ entityType: 'task', entityId: t.id, caseId: t.caseId, summary: { via: 'list' } }),
    });
  }

  async get(actor: Actor, id: string): Promise<TaskView> {
    return this.db.transaction(async (m) => {
      const { task, c } = await this.load(m, actor, id, 'task.read');
      await this.audit.record(m, actor, { action: 'read', entityType: 'task', entityId: id, districtId: c.districtId });
      return oneTaskView(m, task);
    });
  }

  /** POST /cases/{id}/tasks */
  async create(actor: Actor, caseId: string, dto: CreateTaskDto): Promise<TaskView> {
    return this.db.transaction(async (m) => {
      const c = await this.records.load(m, actor, caseId, readPermissionOf(actor));
      const shape = taskAccess({ assigneeId: dto.assigneeId, kind: dto.kind }, c);
      if (!allows(actor, 'task.manage', shape))
        throw DomainError.forbidden('You may not create this task on this case');
      assertOpen(c);
      await this.checkAssignee(m, c, dto.assigneeId, dto.kind);
      const task = (await this.factory.createTask(m, {
        caseId: c.id,
        kind: dto.kind,
        title: dto.title,
        dueAt: new Date(dto.dueAt),
        assigneeId: dto.assigneeId,
        priority: dto.priority ?? 'normal',
        origin: 'manual',
        createdBy: actor.userId,
      })) as Task;
      await this.audit.record(m, actor, {
        action: 'create',
        entityType: 'task',
        entityId: task.id,
        districtId: c.districtId,
        summary: { caseId: c.id, kind: task.kind, assigneeId: task.assigneeId },
      });
      return oneTaskView(m, task);
    });
  }

  /** PATCH /tasks/{id}: title, due time, priority; a new assignee is a supervisor's reassignment. */
  async update(actor: Actor, id: string, version: number, dto: UpdateTaskDto): Promise<TaskView> {
    return this.db.transaction(async (m) => {
      const { task, c } = await this.load(m, actor, id, 'task.manage', true);
      if (task.version !== version) throw versionConflict(task.version);
      if (task.status !== 'open') throw new DomainError('conflict', `The task is ${task.status}`);
      const fields: string[] = [];
      if (dto.assigneeId !== undefined && dto.assigneeId !== task.assigneeId) {
        if (!allows(actor, 'task.reassign', taskAccess(task, c)))
          throw DomainError.forbidden('Only a supervisor reassigns tasks');
        await this.checkAssignee(m, c, dto.assigneeId, task.kind);
        task.assigneeId = dto.assigneeId;
        fields.push('assigneeId');
      }
      const rekinded = dto.kind !== undefined && dto.kind !== task.kind;
      if (rekinded) {
        if (task.origin !== 'manual') throw new DomainError('conflict', 'A task made by a rule keeps its kind');
        if (
          !allows(actor, 'task.manage', taskAccess({ assigneeId: task.assigneeId, kind: dto.kind as Task['kind'] }, c))
        ) {
          throw DomainError.forbidden('You may not manage a task of that kind');
        }
        task.kind = dto.kind as Task['kind'];
        fields.push('kind');
      }
      const moved = dto.dueAt !== undefined && new Date(dto.dueAt).getTime() !== task.dueAt.getTime();
      const previousDue = task.dueAt;
      const postponed = moved && isRuleTask(task) && new Date(dto.dueAt as string) > task.dueAt;
      if (postponed) this.checkRuleOverride(actor, task, c, dto.reason, 'postpone');
      if (moved) {
        task.dueAt = new Date(dto.dueAt as string);
        task.dueSetAt = new Date();
        fields.push('dueAt');
      }
      if (dto.title !== undefined) {
        task.title = dto.title;
        fields.push('title');
      }
      if (dto.priority !== undefined) {
        task.priority = dto.priority;
        fields.push('priority');
      }
      task.updatedAt = new Date();
      const saved = await m.getRepository(Task).save(task);
      // New due time, new job ids; the old jobs find themselves stale and do nothing.
      if (moved || rekinded) await this.factory.schedule(m, saved);
      await this.audit.record(m, actor, {
        action: 'update',
        entityType: 'task',
        entityId: id,
        districtId: c.districtId,
        summary: { fields, ...(postponed ? { postponed: true } : {}) },
      });
      if (postponed) {
        await this.recordRuleOverride(m, actor, saved, c, {
          kind: 'task_postponed',
          reason: dto.reason as string,
          details: { from: previousDue.toISOString(), to: saved.dueAt.toISOString() },
          eventKey: `rule-task-postponed.${saved.id}.${saved.dueAt.getTime()}`,
          title: `${saved.title}: 期限が${formatBusinessTime(saved.dueAt, this.config.TZ_BUSINESS)}に延期されました`,
        });
      }
      return oneTaskView(m, saved);
    });
  }

  /**
   * POST /tasks/{id}/complete. A safety check is completed only with its
   * outcome; `not_seen` is no completion: the task stays open and the
   * supervisors hear of it at once.
   */
  async complete(actor: Actor, id: string, dto: CompleteTaskDto): Promise<TaskView> {
    return this.db.transaction(async (m) => {
      const { task, c } = await this.loadOpen(m, actor, id);
      if (task.kind !== 'safety_check') {
        if (dto.outcome) throw DomainError.validation([{ field: 'outcome', message: 'only a safety check has one' }]);
        return this.close(m, actor, task, c, 'done', dto.note);
      }
      if (!dto.outcome) {
        throw DomainError.validation([
          {
            field: 'outcome',
            message:
              'is required to complete a safety check: when, where, by whom and how the child was seen, and the result',
          },
        ]);
      }
      const outcome = outcomeOf(dto.outcome);
      if (outcome.result === 'not_seen') return this.notSeen(m, actor, task, c, outcome);
      task.outcome = outcome;
      return this.close(m, actor, task, c, 'done', dto.note);
    });
  }

  /** POST /tasks/{id}/cancel. Cancelling a task made by a rule is a supervisor's decision, with a reason. */
  async cancel(actor: Actor, id: string, dto: CancelTaskDto): Promise<TaskView> {
    return this.db.transaction(async (m) => {
      const { task, c } = await this.loadOpen(m, actor, id);
      if (!isRuleTask(task)) return this.close(m, actor, task, c, 'cancelled', dto.note);
      this.checkRuleOverride(actor, task, c, dto.reason, 'cancel');
      const view = await this.close(m, actor, task, c, 'cancelled', dto.note);
      await this.recordRuleOverride(m, actor, task, c, {
        kind: 'task_cancelled',
        reason: dto.reason as string,
        details: {},
        eventKey: `rule-task-cancelled.${task.id}`,
        title: `${task.title}: 取り消されました`,
      });
      return view;
    });
  }

  private async loadOpen(m: EntityManager, actor: Actor, id: string) {
    const loaded = await this.load(m, actor, id, 'task.manage', true);
    if (loaded.task.status !== 'open') {
      throw new DomainError('conflict', `The task is already ${loaded.task.status}`);
    }
    return loaded;
  }

  private async close(
    m: EntityManager,
    actor: Actor,
    task: Task,
    c: Case,
    status: 'done' | 'cancelled',
    note: string | undefined,
  ): Promise<TaskView> {
    task.status = status;
    task.closedAt = new Date();
    task.closedBy = actor.userId;
    task.note = note ?? task.note;
    task.updatedAt = new Date();
    const saved = await m.getRepository(Task).save(task);
    await this.audit.record(m, actor, {
      action: 'transition',
      entityType: 'task',
      entityId: task.id,
      districtId: c.districtId,
      summary: { to: status, kind: task.kind, ...(task.outcome ? { result: task.outcome.result } : {}) },
    });
    // The next progress review is planned when one is done (or dropped).
    if (task.kind === 'review') await this.rules.ensureReview(m, c);
    return oneTaskView(m, saved);
  }

  /** The child was not seen: recorded on the case, the task stays open, the supervisors are told at once. */
  private async notSeen(
    m: EntityManager,
    actor: Actor,
    task: Task,
    c: Case,
    outcome: SafetyCheckOutcome,
  ): Promise<TaskView> {
    const event = await recordCaseEvent(m, {
      caseId: c.id,
      actorId: actor.userId,
      kind: 'safety_check_not_seen',
      details: { taskId: task.id, ...outcome },
    });
    await this.audit.record(m, actor, {
      action: 'update',
      entityType: 'task',
      entityId: task.id,
      districtId: c.districtId,
      summary: { kind: task.kind, result: 'not_seen' },
    });
    await this.notifications.deliver(m, await supervisorsOf(m, c.districtId), {
      eventKey: `safety-check-not-seen.${task.id}.${event.id}`,
      kind: 'safety_check_not_seen',
      title: `安全確認: 児童を確認できませんでした（${c.number}）`,
      caseId: c.id,
      taskId: task.id,
    });
    return oneTaskView(m, task);
  }

  /**
   * A task made by a rule (the 48-hour check, a review, a referral
   * follow-up) may be brought forward by whoever manages it; postponing or
   * cancelling it is the decision of a supervisor of the case's district, with
   * a reason.
   */
  private checkRuleOverride(
    actor: Actor,
    task: Task,
    c: Case,
    reason: string | undefined,
    what: 'postpone' | 'cancel',
  ): void {
    if (!allows(actor, 'task.reassign', taskAccess(task, c))) {
      throw DomainError.forbidden(`Only a supervisor of the district may ${what} a task made by a rule`);
    }
    if (!reason) {
      throw DomainError.validation([{ field: 'reason', message: `is required to ${what} a task made by a rule` }]);
    }
  }

  /** A supervisor's decision on a rule task: on the case's timeline, and told to the district's supervisors. */
  private async recordRuleOverride(
    m: EntityManager,
    actor: Actor,
    task: Task,
    c: Case,
    decision: {
      kind: 'task_postponed' | 'task_cancelled';
      reason: string;
      details: Record<string, unknown>;
      eventKey: string;
      title: string;
    },
  ): Promise<void> {
    await recordCaseEvent(m, {
      caseId: c.id,
      actorId: actor.userId,
      kind: decision.kind,
      reason: decision.reason,
      details: { taskId: task.id, taskKind: task.kind, ...decision.details },
    });
    await this.notifications.deliver(m, await supervisorsOf(m, c.districtId), {
      eventKey: decision.eventKey,
      kind: decision.kind === 'task_postponed' ? 'rule_task_postponed' : 'rule_task_cancelled',
      title: `${decision.title}（${c.number}）`,
      caseId: c.id,
      taskId: task.id,
    });
  }

  /**
   * Loads a task and checks the permission on it. A task on a case out of the
   * actor's scope, or one they may not even read, is a 404.
   */
  private async load(m: EntityManager, actor: Actor, id: string, permission: Permission, lock = false) {
    const task = await m
      .getRepository(Task)
      .findOne({ where: { id }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!task) throw DomainError.notFound('Task');
    const c = await m.getRepository(Case).findOneByOrFail({ id: task.caseId });
    authorize(actor, permission, taskAccess(task, c), 'task.read', 'Task');
    return { task, c };
  }

  /** The assignee must be able to do the work (directory/staffing.ts). */
  private async checkAssignee(m: EntityManager, c: Case, assigneeId: string, kind: string): Promise<void> {
    if (!(await mayTakeTask(m, c, assigneeId, kind))) {
      throw DomainError.validation([
        { field: 'assigneeId', message: "must be an active user of the case's district or assigned to the case" },
      ]);
    }
  }

  /**
   * A referral was answered or withdrawn: its open follow-up tasks are done.
   * Called by the referrals module inside its transition; each task closed is
   * audited like any other. Raw SQL: one set-based UPDATE ... FROM cases that
   * returns each task's district for its audit entry (the query builder's
   * update has no FROM); it bumps the version by hand, as save() does.
   */
  async closeReferralFollowUps(m: EntityManager, actor: Actor, referralId: string, note: string): Promise<void> {
    const [closed] = (await m.query(
      `UPDATE tasks t SET status = 'done', closed_at = now(), note = coalesce(t.note, $2), updated_at = now(), version = t.version + 1
        FROM cases c
        WHERE t.referral_id = $1 AND t.kind = 'referral_followup' AND t.status = 'open' AND c.id = t.case_id
        RETURNING t.id, c.district_id`,
      [referralId, note],
    )) as [{ id: string; district_id: string | null }[], number];
    await this.audit.recordMany(
      m,
      actor,
      closed.map((t) => ({
        action: 'transition',
        entityType: 'task',
        entityId: t.id,
        districtId: t.district_id,
        summary: { to: 'done', kind: 'referral_followup', referralId },
      })),
    );
  }
}
