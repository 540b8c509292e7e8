import { MigrationInterface, QueryRunner } from 'typeorm';

/** Unread notifications per user, for the badge count (GET /notifications/unread-count) and the `unread` filter. */
export class UnreadNotifications1796130000000 implements MigrationInterface {
  name = 'UnreadNotifications1796130000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX notifications_unread_idx ON notifications (user_id, created_at DESC, id DESC) WHERE read_at IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX notifications_unread_idx`);
  }
}
