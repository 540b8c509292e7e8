import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { DataSource, EntityManager } from 'typeorm';
import { allows, Actor } from '../access/policy';
import { AuditLog } from '../audit/audit.service';
import { caseAccess } from '../cases/case-lifecycle';
import { assertOpen, CaseRecords, readPermissionOf } from '../cases/case-records';
import { DomainError } from '../core/errors/domain-error';
import { ApiDateTime, ApiUuid, ApiUuids } from '../core/http/openapi';
import type { Page } from '../core/http/pagination';
import { CONFERENCE_KINDS } from '../codes/code-lists';
import { refOf, UserRef, userRefs } from '../directory/user-ref';
import { CreateConferenceDto } from './dto/task.dto';
import { FollowUpRules } from './follow-up-rules';

export class ConferenceView {
  @ApiUuid() id!: string;
  @ApiUuid() caseId!: string;
  @ApiProperty({ enum: CONFERENCE_KINDS }) kind!: string;
  @ApiDateTime() heldAt!: Date;
  @ApiUuids() attendeeUserIds!: string[];
  @ApiProperty({ type: [UserRef], description: '`attendeeUserIds`, named, in the same order' })
  attendees!: UserRef[];
  @ApiUuids() attendeeOrganizationIds!: string[];
  @ApiProperty() decisions!: string;
  @ApiDateTime({ nullable: true }) nextReviewAt!: Date | null;
  @ApiUuid({ nullable: true, description: 'On creation: the review task the next review date became' })
  reviewTaskId?: string | null;
}

type ConferenceRow = Omit<ConferenceView, 'attendees' | 'reviewTaskId'>;

/** Conferences as answers, with their attendees named (issue 13): one query for the names of all of them. */
async function withAttendees(m: EntityManager, rows: ConferenceRow[]): Promise<ConferenceView[]> {
  const users = await userRefs(
    m,
    rows.flatMap((r) => r.attendeeUserIds),
  );
  return rows.map((r) => ({ ...r, attendees: r.attendeeUserIds.map((id) => refOf(users, id)) }));
}

/** Conferences have no entity (raw SQL throughout): rows are written once and read as they are answered. */
const COLUMNS = `id, case_id AS "caseId", kind, held_at AS "heldAt", attendee_user_ids AS "attendeeUserIds",
  attendee_organization_ids AS "attendeeOrganizationIds", decisions, next_review_at AS "nextReviewAt"`;

/**
 * Case conferences (受理会議, 個別ケース検討会議): who attended, what was
 * decided, and the next review date, which becomes a `review` task.
 */
@Injectable()
export class ConferencesService {
  constructor(
    private readonly db: DataSource,
    private readonly records: CaseRecords,
    private readonly rules: FollowUpRules,
    private readonly audit: AuditLog,
  ) {}

  async create(actor: Actor, caseId: string, dto: CreateConferenceDto): Promise<ConferenceView> {
    return this.db.transaction(async (m) => {
      const c = await this.records.load(m, actor, caseId, readPermissionOf(actor));
      if (!allows(actor, 'conference.manage', { case: caseAccess(c) })) {
        throw DomainError.forbidden('You may not hold conferences on this case');
      }
      assertOpen(c);
      const [{ users, orgs }] = (await m.query(
        `SELECT (SELECT count(*)::int FROM users WHERE id = ANY($1::uuid[])) AS users,
                (SELECT count(*)::int FROM organizations WHERE id = ANY($2::uuid[])) AS orgs`,
        [dto.attendeeUserIds, dto.attendeeOrganizationIds],
      )) as { users: number; orgs: number }[];
      const errors = [];
      if (users !== dto.attendeeUserIds.length)
        errors.push({ field: 'attendeeUserIds', message: 'names an unknown user' });
      if (orgs !== dto.attendeeOrganizationIds.length)
        errors.push({ field: 'attendeeOrganizationIds', message: 'names an unknown organization' });
      if (errors.length) throw DomainError.validation(errors);
      const [conference] = (await m.query(
        `INSERT INTO conferences (case_id, kind, held_at, attendee_user_ids, attendee_organization_ids, decisions, next_review_at, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`,
        [
          c.id,
          dto.kind,
          dto.heldAt,
          dto.attendeeUserIds,
          dto.attendeeOrganizationIds,
          dto.decisions,
          dto.nextReviewAt ?? null,
          actor.userId,
        ],
      )) as ConferenceRow[];
      let reviewTaskId: string | null = null;
      if (dto.nextReviewAt) {
        const task = await this.rules.decidedReview(m, c, {
          title: `ケース会議で決めた見直し ${c.number}`,
          dueAt: new Date(dto.nextReviewAt),
          origin: 'conference',
          originKey: `conference:${conference.id}`,
          decidedBy: actor.userId,
        });
        reviewTaskId = task?.id ?? null;
      }
      await this.audit.record(m, actor, {
        action: 'create',
        entityType: 'conference',
        entityId: conference.id,
        districtId: c.districtId,
        summary: {
          caseId: c.id,
          kind: dto.kind,
          attendees: dto.attendeeUserIds.length + dto.attendeeOrganizationIds.length,
        },
      });
      const [view] = await withAttendees(m, [conference]);
      return { ...view, reviewTaskId };
    });
  }

  /** Counselors and supervisors: the case's conferences. Staff: those they attended (decisions included). */
  async list(actor: Actor, caseId: string): Promise<Page<ConferenceView>> {
    return this.db.transaction(async (m) => {
      const c = await this.records.load(m, actor, caseId, readPermissionOf(actor)).catch((error: unknown) => {
        // Staff may have attended a conference of a case whose header they cannot see.
        if (error instanceof DomainError && error.code === 'not_found' && actor.roles.includes('staff')) return null;
        throw error;
      });
      const rows = (await m.query(`SELECT ${COLUMNS} FROM conferences WHERE case_id = $1 ORDER BY held_at DESC`, [
        caseId,
      ])) as ConferenceRow[];
      const shapeOf = (r: ConferenceRow) => ({ attendeeUserIds: r.attendeeUserIds, case: c ? caseAccess(c) : {} });
      const visible = rows.filter((r) => allows(actor, 'conference.read', shapeOf(r)));
      if (!c && visible.length === 0) throw DomainError.notFound('Case');
      await this.audit.record(m, actor, {
        action: 'read',
        entityType: 'conferences',
        entityId: caseId,
        districtId: c?.districtId ?? null,
      });
      return { items: await withAttendees(m, visible), nextCursor: null };
    });
  }
}
