import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { Actor } from '../access/policy';
import { AuditLog } from '../audit/audit.service';
import { CaseAssigned } from '../cases/case.events';
import { Case } from '../cases/case.entity';
import { OnDomainEvent } from '../core/events/domain-events';
import { MembershipEnded, UserDeactivated } from '../directory/directory.events';
import { centerSupervisors, Responsible, responsibleFor } from '../directory/staffing';
import { Notifications } from '../notifications/notifications.service';
import { Task } from './task.entity';

type Why = 'primary_counselor_changed' | 'user_deactivated' | 'membership_ended';

/**
 * No open task is left with someone who can no longer do it (issue 10): when
 * a case's primary counselor changes, their open tasks on it follow the case;
 * when a user is deactivated or leaves a district, their open tasks there go
 * to whoever is next responsible (directory/staffing.ts). Every move is
 * audited and told to both sides.
 */
@Injectable()
export class TaskHandover {
  constructor(
    private readonly notifications: Notifications,
    private readonly audit: AuditLog,
  ) {}

  /** The previous primary counselor's open tasks on the case go to the new one, the safety check first. */
  @OnDomainEvent(CaseAssigned)
  async onCaseAssigned(m: EntityManager, { actor, caseRecord: c, previousPrimaryCounselorId }: CaseAssigned) {
    const next = c.primaryCounselorId;
    if (!previousPrimaryCounselorId || !next || previousPrimaryCounselorId === next) return;
    for (const task of await this.openTasks(m, previousPrimaryCounselorId, { caseId: c.id })) {
      await this.handOver(m, actor, task, c, { userId: next, fallback: false }, 'primary_counselor_changed');
    }
  }

  @OnDomainEvent(UserDeactivated)
  async onUserDeactivated(m: EntityManager, { actor, userId }: UserDeactivated): Promise<void> {
    for (const task of await this.openTasks(m, userId, {})) {
      await this.toNextResponsible(m, actor, task, userId, 'user_deactivated');
    }
  }

  @OnDomainEvent(MembershipEnded)
  async onMembershipEnded(m: EntityManager, { actor, districtId, userId }: MembershipEnded): Promise<void> {
    for (const task of await this.openTasks(m, userId, { districtId })) {
      await this.toNextResponsible(m, actor, task, userId, 'membership_ended');
    }
  }

  /**
   * Gives a task to someone else, in the caller's transaction: audited, the
   * new assignee and the previous one are told, and every supervisor of the
   * center when it had to fall back to them.
   */
  async handOver(m: EntityManager, actor: Actor, task: Task, c: Case, to: Responsible, why: Why): Promise<void> {
    const previous = task.assigneeId;
    task.assigneeId = to.userId;
    task.updatedAt = new Date();
    const saved = await m.getRepository(Task).save(task);
    await this.audit.record(m, actor, {
      action: 'update',
      entityType: 'task',
      entityId: task.id,
      districtId: c.districtId,
      summary: { fields: ['assigneeId'], assigneeId: to.userId, handedOver: why },
    });
    const about = { caseId: c.id, taskId: task.id };
    await this.notifications.deliver(m, [to.userId], {
      ...about,
      eventKey: `task-assigned.${task.id}.${saved.version}`,
      kind: 'task_assigned',
      title: `引き継ぎ: ${task.title}（${c.number}）があなたの担当になりました`,
    });
    if (why !== 'user_deactivated') {
      await this.notifications.deliver(m, [previous], {
        ...about,
        eventKey: `task-unassigned.${task.id}.${saved.version}`,
        kind: 'task_unassigned',
        title: `引き継ぎ: ${task.title}（${c.number}）は別の担当者に移りました`,
      });
    }
    if (to.fallback) await this.tellFallback(m, task, c);
  }

  /** Every supervisor of the center hears that a task found nobody in its case's district. */
  async tellFallback(m: EntityManager, task: Task, c: Case): Promise<void> {
    await this.notifications.deliver(m, await centerSupervisors(m), {
      eventKey: `task-fallback.${task.id}.${task.assigneeId}`,
      kind: 'task_fallback',
      title: `担当地区に引き受け手がいないため、センターのスーパーバイザーに割り当てました: ${task.title}（${c.number}）`,
      caseId: c.id,
      taskId: task.id,
    });
  }

  private async toNextResponsible(m: EntityManager, actor: Actor, task: Task, leaving: string, why: Why) {
    const c = await m.getRepository(Case).findOneByOrFail({ id: task.caseId });
    const next = await responsibleFor(m, c, leaving);
    // Nobody at all (the center has no active supervisor): it stays, and readiness counts it.
    if (next) await this.handOver(m, actor, task, c, next, why);
  }

  /** A user's open tasks, on one case or on the cases of one district; safety checks first, then by due time. */
  private openTasks(
    m: EntityManager,
    assigneeId: string,
    where: { caseId?: string; districtId?: string },
  ): Promise<Task[]> {
    const qb = m
      .getRepository(Task)
      .createQueryBuilder('t')
      .innerJoin(Case, 'c', 'c.id = t.case_id')
      .where(`t.assignee_id = :assigneeId AND t.status = 'open'`, { assigneeId })
      .orderBy(`t.kind = 'safety_check'`, 'DESC')
      .addOrderBy('t.due_at', 'ASC')
      .setLock('pessimistic_write', undefined, ['t']);
    if (where.caseId) qb.andWhere('t.case_id = :caseId', { caseId: where.caseId });
    if (where.districtId) qb.andWhere('c.district_id = :districtId', { districtId: where.districtId });
    return qb.getMany();
  }
}
