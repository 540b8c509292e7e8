import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Role } from './roles';
import { Actor, buildAbility } from './policy';

interface ActorRow {
  id: string;
  username: string;
  roles: Role[];
  active: boolean;
  must_change_password: boolean;
  token_version: number;
  member_district_ids: string[];
  overseen_district_ids: string[];
}

/**
 * Loads the caller behind an access token: the user must still be active and
 * the token's version current (deactivation and password resets bump it), and
 * scope comes from memberships and supervisions open right now.
 *
 * A district that no active supervisor oversees right now (a new district, or
 * everyone moved) is overseen by every supervisor of the center, as an
 * unplaced case is: its reports still reach someone who can open them
 * (issue 10; README, "Choices where the spec was silent").
 */
@Injectable()
export class ActorService {
  constructor(private readonly db: DataSource) {}

  async load(
    userId: string,
    tokenVersion: number,
    origin: { ip: string | null; requestId: string | null },
  ): Promise<Actor | null> {
    return this.fetch(userId, origin, tokenVersion);
  }

  /**
   * The user as they are now, for work a job does on their behalf (an
   * export): active, with today's roles and scope; null otherwise.
   */
  async current(userId: string, origin: { ip: string | null; requestId: string | null }): Promise<Actor | null> {
    return this.fetch(userId, origin);
  }

  private async fetch(
    userId: string,
    origin: { ip: string | null; requestId: string | null },
    tokenVersion?: number,
  ): Promise<Actor | null> {
    const rows = (await this.db.query(
      `SELECT u.id, u.username, u.roles, u.active, u.must_change_password, u.token_version,
         ARRAY(SELECT m.district_id FROM current_district_members m WHERE m.user_id = u.id) AS member_district_ids,
         ARRAY(SELECT s.district_id FROM current_district_supervisors s WHERE s.user_id = u.id
               UNION
               SELECT d.id FROM districts d
                WHERE 'supervisor' = ANY(u.roles)
                  AND NOT EXISTS (SELECT 1 FROM current_district_supervisors s JOIN users v ON v.id = s.user_id
                                   WHERE s.district_id = d.id AND v.active)) AS overseen_district_ids
       FROM users u WHERE u.id = $1`,
      [userId],
    )) as ActorRow[];
    const row = rows[0];
    if (!row || !row.active || (tokenVersion !== undefined && row.token_version !== tokenVersion)) return null;
    const scope = {
      userId: row.id,
      memberDistrictIds: row.member_district_ids,
      overseenDistrictIds: row.overseen_district_ids,
    };
    return {
      ...scope,
      username: row.username,
      roles: row.roles,
      mustChangePassword: row.must_change_password,
      ability: buildAbility(row.roles, scope),
      ip: origin.ip,
      requestId: origin.requestId,
    };
  }
}
