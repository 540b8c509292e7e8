import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../access/policy';
import { DomainError } from '../core/errors/domain-error';
import { decodeCursor, limitOf, ListQuery, Page, toPage } from '../core/http/pagination';
import { ApiProperty } from '@nestjs/swagger';
import type { NotificationKind } from '../codes/code-lists';
import { Metrics } from '../core/metrics/metrics.service';
import { ApiDateTime, ApiUuid } from '../core/http/openapi';

export interface NewNotification {
  /** The event it reports; with the user, unique: the same event is never delivered twice. */
  eventKey: string;
  kind: NotificationKind;
  /** Case numbers and task titles, never a child's name (notifications may reach e-mail later). */
  title: string;
  caseId?: string | null;
  taskId?: string | null;
  referralId?: string | null;
}

export class NotificationView {
  @ApiUuid() id!: string;
  @ApiProperty({ description: 'code list `notificationKinds`' }) kind!: string;
  @ApiProperty({ description: 'Case numbers and task titles, never a name' }) title!: string;
  @ApiUuid({ nullable: true }) caseId!: string | null;
  @ApiUuid({ nullable: true }) taskId!: string | null;
  @ApiUuid({ nullable: true }) referralId!: string | null;
  @ApiDateTime() createdAt!: Date;
  @ApiDateTime({ nullable: true }) readAt!: Date | null;
}

/** In-app notifications (domain.md, "Notifications"). */
@Injectable()
export class Notifications {
  constructor(
    private readonly db: DataSource,
    private readonly metrics: Metrics,
  ) {}

  /**
   * Delivers to each user at most once per event key (a unique index decides,
   * so a retried job or a racing sweep cannot double it). Returns how many were new.
   */
  async deliver(m: EntityManager, userIds: string[], n: NewNotification): Promise<number> {
    const unique = [...new Set(userIds)];
    if (unique.length === 0) return 0;
    const rows = (await m.query(
      `INSERT INTO notifications (user_id, event_key, kind, title, case_id, task_id, referral_id)
       SELECT u, $2, $3, $4, $5, $6, $7 FROM unnest($1::uuid[]) AS u
       ON CONFLICT (user_id, event_key) DO NOTHING RETURNING id`,
      [unique, n.eventKey, n.kind, n.title, n.caseId ?? null, n.taskId ?? null, n.referralId ?? null],
    )) as unknown[];
    // Counted inside the caller's transaction: one that then rolls back (rare) and is retried counts twice.
    this.metrics.notificationsDelivered(n.kind, rows.length);
    return rows.length;
  }

  /** Which of these event keys some user has been notified of already. */
  async deliveredEventKeys(eventKeys: string[]): Promise<Set<string>> {
    const rows = (await this.db.query(
      `SELECT DISTINCT event_key FROM notifications WHERE event_key = ANY($1::text[])`,
      [eventKeys],
    )) as { event_key: string }[];
    return new Set(rows.map((r) => r.event_key));
  }

  async list(actor: Actor, query: ListQuery & { unread?: 'true' | 'false' }): Promise<Page<NotificationView>> {
    const limit = limitOf(query);
    const after = decodeCursor(query.cursor, ['instant', 'uuid']);
    const params: unknown[] = [actor.userId];
    let where = 'user_id = $1';
    if (query.unread === 'true') where += ' AND read_at IS NULL';
    if (query.unread === 'false') where += ' AND read_at IS NOT NULL';
    if (after) {
      params.push(after[0], after[1]);
      where += ` AND (created_at, id) < ($2::timestamptz, $3::uuid)`;
    }
    const rows = (await this.db.query(
      `SELECT id, kind, title, case_id AS "caseId", task_id AS "taskId", referral_id AS "referralId",
              created_at AS "createdAt", read_at AS "readAt"
         FROM notifications WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT ${limit + 1}`,
      params,
    )) as NotificationView[];
    return toPage(
      rows,
      limit,
      (n) => [n.createdAt.toISOString(), n.id],
      (n) => n,
    );
  }

  /**
   * How many of the caller's notifications are unread, for a badge. Counted
   * by the partial index on unread rows (migration UnreadNotifications), so it
   * stays cheap however many read ones a user has gathered.
   */
  async unreadCount(actor: Actor): Promise<{ unread: number }> {
    const [row] = (await this.db.query(
      `SELECT count(*)::int AS unread FROM notifications WHERE user_id = $1 AND read_at IS NULL`,
      [actor.userId],
    )) as { unread: number }[];
    return { unread: row.unread };
  }

  /** Marks one of the caller's notifications read; another user's is a 404. */
  async markRead(actor: Actor, id: string): Promise<NotificationView> {
    // UPDATE ... RETURNING answers [rows, affected count].
    const [rows] = (await this.db.query(
      `UPDATE notifications SET read_at = coalesce(read_at, now()) WHERE id = $1 AND user_id = $2
       RETURNING id, kind, title, case_id AS "caseId", task_id AS "taskId", referral_id AS "referralId",
                 created_at AS "createdAt", read_at AS "readAt"`,
      [id, actor.userId],
    )) as [NotificationView[], number];
    const updated = rows[0];
    if (!updated) throw DomainError.notFound('Notification');
    return updated;
  }
}
