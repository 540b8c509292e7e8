import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In, SelectQueryBuilder } from 'typeorm';
import { allows, Actor } from '../access/policy';
import { AuditLog } from '../audit/audit.service';
import { DomainError } from '../core/errors/domain-error';
import { caseAssignmentErrors } from '../directory/staffing';
import { refOf, UserRef, userRefs } from '../directory/user-ref';
import { Page } from '../core/http/pagination';
import { versionConflict } from '../core/http/versioning';
import { normalizeKana } from '../core/text/normalize';
import { DomainEvents } from '../core/events/domain-events';
import { CaseAssigned, CaseChanged } from './case.events';
import { searchPattern } from './search-keys';
import { siblingCases } from './siblings';
import { CaseAction, caseAccess, caseLifecycle, CaseTransitionInput } from './case-lifecycle';
import type { TransitionLog } from '../lifecycle/state-machine';
import type { CaseStatus } from '../codes/code-lists';
import { CaseRecords, listReadEntries, readableCases, readPermissionOf } from './case-records';
import { CaseEvent } from './case-event.entity';
import { Case } from './case.entity';
import { Consultation } from './consultation.entity';
import { AssignmentDto, CaseTransitionDto, ListCasesQuery, UpdateCaseDto } from './dto/case.dto';
import { setHouseholdAddress } from './household-addresses';
import { Household, HouseholdMember, Person } from './person.entity';
import {
  caseHeader,
  CaseDetail,
  CaseHeader,
  CaseListItem,
  caseStaffIds,
  caseView,
  CaseEventView,
  consultationView,
} from './views';

const RECENT_CONSULTATIONS = 20;

/**
 * The columns a list row answers with (caseListItem, caseHeader), and no
 * others: a case has 29 columns (four of them arrays) and its subject 11
 * (the search key among them), which the page would otherwise read, parse
 * and hydrate for every row only to drop them (issue 16: a search request
 * allocated 834 KB with them, 629 KB without; BENCHMARKS.md).
 */
const LISTED_CASE_FIELDS = [
  'id',
  'number',
  'status',
  'districtId',
  'subjectId',
  'primaryCounselorId',
  'mainConsultationType',
  'protection',
  'risk',
  'confidential',
  'openedAt',
  'version',
] as const;
const LISTED_SUBJECT_FIELDS = {
  id: true,
  familyName: true,
  givenName: true,
  familyNameKana: true,
  givenNameKana: true,
  birthDate: true,
} as const;
type ListedCase = Pick<Case, (typeof LISTED_CASE_FIELDS)[number]>;
type ListedSubject = Pick<Person, keyof typeof LISTED_SUBJECT_FIELDS>;

function caseListItem(c: ListedCase, subject: ListedSubject, users: Map<string, UserRef>): CaseListItem {
  return {
    id: c.id,
    number: c.number,
    status: c.status,
    districtId: c.districtId,
    primaryCounselorId: c.primaryCounselorId,
    primaryCounselor: refOf(users, c.primaryCounselorId),
    subjectName: `${subject.familyName} ${subject.givenName}`,
    subjectNameKana:
      subject.familyNameKana && subject.givenNameKana ? `${subject.familyNameKana} ${subject.givenNameKana}` : null,
    subjectBirthDate: subject.birthDate,
    mainConsultationType: c.mainConsultationType,
    protection: c.protection,
    risk: c.risk,
    confidential: c.confidential,
    openedAt: c.openedAt,
    version: c.version,
  };
}

@Injectable()
export class CasesService {
  /** Fewer cases than this match a search word: read them by id (see search). A test lowers it to take the other path. */
  static rareSearchMatches = 300;
  /** The share of a common word's first matches in the city that the list must be able to show for it to walk the list (see search). */
  static fairShare = 0.1;

  constructor(
    private readonly db: DataSource,
    private readonly records: CaseRecords,
    private readonly audit: AuditLog,
    private readonly domainEvents: DomainEvents,
  ) {}

  /**
   * GET /cases/{id}: the whole case with household and the last 20
   * consultations for counselors and supervisors; the header only for staff.
   * Every read is audited.
   */
  async get(actor: Actor, id: string): Promise<CaseDetail | CaseHeader> {
    return this.db.transaction((m) => this.view(m, actor, id));
  }

  async view(
    m: EntityManager,
    actor: Actor,
    id: string,
    options: { audit?: boolean } = {},
  ): Promise<CaseDetail | CaseHeader> {
    const readPermission = readPermissionOf(actor);
    const c = await this.records.load(m, actor, id, readPermission);
    const subject = await m.getRepository(Person).findOneByOrFail({ id: c.subjectId });
    if (options.audit !== false) {
      await this.audit.record(m, actor, {
        action: 'read',
        entityType: 'case',
        entityId: c.id,
        districtId: c.districtId,
        ...(readPermission === 'case.read_header' ? { summary: { view: 'header' } } : {}),
      });
    }
    if (readPermission === 'case.read_header') return caseHeader(c, subject);
    const household = await m.getRepository(Household).findOneByOrFail({ id: c.householdId });
    // The household as this case sees it: everyone but its own subject, and the subjects of siblings' cases.
    const memberRows = (await m.getRepository(HouseholdMember).find({ where: { householdId: household.id } })).filter(
      (r) => r.personId !== c.subjectId,
    );
    // Raw SQL: a DISTINCT projection of one column, not a list of case records (no entity is loaded).
    const otherSubjects = (await m.query(
      `SELECT DISTINCT subject_id AS "personId" FROM cases WHERE household_id = $1 AND subject_id <> $2`,
      [household.id, c.subjectId],
    )) as { personId: string }[];
    for (const { personId } of otherSubjects) {
      if (!memberRows.some((r) => r.personId === personId)) {
        memberRows.push({ id: personId, householdId: household.id, personId, relationship: 'sibling' });
      }
    }
    const people = await m.getRepository(Person).findBy({ id: In(memberRows.map((r) => r.personId)) });
    const members = memberRows.map((r) => ({ ...r, person: people.find((p) => p.id === r.personId) as Person }));
    const recent = await m.getRepository(Consultation).find({
      where: { caseId: c.id },
      order: { occurredAt: 'DESC', id: 'DESC' },
      take: RECENT_CONSULTATIONS,
    });
    if (options.audit !== false) {
      // The summaries travel with the case: a read of each consultation, recorded as one entry naming them all.
      await this.audit.recordMany(
        m,
        actor,
        listReadEntries(
          recent.map((k) => ({
            entityType: 'consultation',
            entityId: k.id,
            districtId: c.districtId,
            summary: { via: 'case' },
          })),
          () => c.districtId,
        ),
      );
    }
    // The case's counselors and those who recorded its recent consultations, named in one query.
    const users = await userRefs(m, [...caseStaffIds(c), ...recent.map((k) => k.counselorId)]);
    return {
      ...caseView(c, subject, household, members, users),
      recentConsultations: recent.map((k) => consultationView(k, users)),
      allowedActions: caseLifecycle.allowedActions(c, actor),
      siblingCases: await siblingCases(m, actor, c),
    };
  }

  /** GET /cases: only cases in the actor's scope (the policy's SQL), newest first. */
  async list(actor: Actor, query: ListCasesQuery): Promise<Page<CaseListItem | CaseHeader>> {
    const headersOnly = readPermissionOf(actor) === 'case.read_header';
    if (headersOnly) refuseBeyondHeader(query);
    // The page is read from `cases` alone and its subjects by id after: joined in the page query, PostgreSQL joined
    // every match before sorting them for the first page (624 person lookups for a given name in a supervisor's
    // districts, 12 ms against 7.5 without the join; issue 16).
    const qb = this.listed(actor, query).select(LISTED_CASE_FIELDS.map((f) => `c.${f}`));
    if (query.q) await this.search(qb, this.listed(actor, query), query.q, headersOnly);
    return this.records.page(this.db.manager, actor, qb as SelectQueryBuilder<ListedCase>, query, {
      keyset: { at: 'c.opened_at', id: 'c.id', order: 'DESC', keyOf: (c) => [c.openedAt, c.id] },
      present: async (rows): Promise<(CaseListItem | CaseHeader)[]> => {
        if (rows.length === 0) return [];
        const subjects = new Map(
          (
            await this.db.getRepository(Person).find({
              select: LISTED_SUBJECT_FIELDS,
              where: { id: In(rows.map((c) => c.subjectId)) },
            })
          ).map((p) => [p.id, p]),
        );
        const subjectOf = (c: ListedCase) => subjects.get(c.subjectId) as ListedSubject;
        // Staff see headers, initials only.
        if (headersOnly) return rows.map((c) => caseHeader(c, subjectOf(c)));
        const users = await userRefs(
          this.db.manager,
          rows.map((c) => c.primaryCounselorId),
        );
        return rows.map((c) => caseListItem(c, subjectOf(c), users));
      },
      audit: (c) => ({ entityType: 'case', entityId: c.id, districtId: c.districtId, summary: { via: 'list' } }),
    });
  }

  /** The cases the actor may read that pass the list's filters (all but `q`), as a query on `cases c` alone. */
  private listed(actor: Actor, query: ListCasesQuery): SelectQueryBuilder<Case> {
    const qb = this.db.getRepository(Case).createQueryBuilder('c').where(readableCases(actor));
    if (query.status) qb.andWhere('c.status = :status', { status: query.status });
    if (query.districtId) qb.andWhere('c.district_id = :districtId', { districtId: query.districtId });
    if (query.counselorId)
      qb.andWhere('c.assignee_ids @> ARRAY[:counselorId]::uuid[]', { counselorId: query.counselorId });
    if (query.protection) qb.andWhere('c.protection = :protection', { protection: query.protection });
    if (query.risk) qb.andWhere('c.risk = :risk', { risk: query.risk });
    if (query.hasOverdueTasks) {
      const overdue = `EXISTS (SELECT 1 FROM tasks t WHERE t.case_id = c.id AND t.status = 'open' AND t.due_at < now())`;
      qb.andWhere(query.hasOverdueTasks === 'true' ? overdue : `NOT ${overdue}`);
    }
    return qb;
  }

  /**
   * `q`: a case number prefix; or any part of the subject's names (kanji or
   * kana, any script or width), of a household member's names (a guardian),
   * of the school or of the address, through the case's search key (all of
   * those side by side, kept by triggers: migrations/1796416200000-CaseSearchKey.ts),
   * trigram-indexed. Staff search by number only: they see headers.
   *
   * A word found in few of the cases the list could show (the actor's scope
   * and the other filters) is looked up through the index first and the page
   * read by id; a word common among them (a surname, the local school) is
   * left as a filter, so PostgreSQL walks the list in its order and stops at a
   * full page. The planner cannot tell the two apart from its statistics (it
   * walked 100,000 cases for a rare full name, and a counselor's whole
   * district for a school of another district), hence the probes (issue 16):
   *
   * 1. the first matches in the city, capped: fewer than the cap, read by id;
   * 2. how many of those the list could show: a fair share, walk the list;
   * 3. else (common in the city, rare here) every match the list could show,
   *    through the trigram index ANDed with the scope's: few, read by id.
   */
  private async search(
    qb: SelectQueryBuilder<Case>,
    candidates: SelectQueryBuilder<Case>,
    q: string,
    numberOnly: boolean,
  ): Promise<void> {
    const compact = q.replace(/[\s\u3000]/g, '').normalize('NFKC');
    if (/^\d{4}(-\d{0,5})?$/.test(compact) || numberOnly) {
      qb.andWhere(`c.number LIKE :q ESCAPE '\\'`, { q: `${compact.replace(/[\\%_]/g, '\\$&')}%` });
      return;
    }
    const pattern = searchPattern(q);
    if (pattern === null) return;
    const cap = CasesService.rareSearchMatches;
    const byId = (ids: string[]) => void qb.andWhere('c.id = ANY(CAST(:matches AS uuid[]))', { matches: ids });
    const asFilter = () => void qb.andWhere(`c.search_key LIKE :pattern ESCAPE '\\'`, { pattern });
    // Raw SQL around the builder's: probes 1 and 2 in one round trip, answering
    // the ids only for a rare word and a count otherwise. Capped ids only: no
    // case record is loaded or returned; the page itself is the query builder's.
    const [shownSql, shownParameters] = candidates
      .clone()
      .select('count(*)::int')
      .andWhere('c.id IN (SELECT id FROM city)')
      .getQueryAndParameters();
    const [first] = (await this.db.query(
      `WITH city AS MATERIALIZED (
         SELECT id FROM cases WHERE search_key LIKE $${shownParameters.length + 1} ESCAPE '\\' LIMIT ${cap})
       SELECT CASE WHEN (SELECT count(*) FROM city) < ${cap} THEN ARRAY(SELECT id FROM city) END AS rare,
              (${shownSql}) AS shown`,
      [...shownParameters, pattern],
    )) as { rare: string[] | null; shown: number }[];
    if (first.rare) {
      byId(first.rare);
      return;
    }
    if (first.shown >= cap * CasesService.fairShare) {
      asFilter();
      return;
    }
    const [probe, parameters] = candidates
      .select('c.id', 'id')
      .andWhere(`c.search_key LIKE :pattern ESCAPE '\\'`, { pattern })
      .getQueryAndParameters();
    // MATERIALIZED has PostgreSQL plan the probe for all its rows (a bitmap
    // AND of the two indexes), where a LIMIT beside it chose a sequential scan
    // that reads every case when few match.
    const here = (await this.db.query(
      `WITH matches AS MATERIALIZED (${probe}) SELECT id FROM matches LIMIT ${cap}`,
      parameters,
    )) as { id: string }[];
    if (here.length < cap) byId(here.map((r) => r.id));
    else asFilter();
  }

  /** PATCH /cases/{id}: versioned edits of the case, its subject and household. */
  async update(actor: Actor, id: string, version: number, dto: UpdateCaseDto): Promise<CaseDetail | CaseHeader> {
    return this.db.transaction(async (m) => {
      const c = await this.records.load(m, actor, id, 'case.edit', { lock: true, open: true });
      if (c.version !== version) throw versionConflict(c.version);
      if (
        dto.confidential !== undefined &&
        dto.confidential !== c.confidential &&
        !allows(actor, 'case.close', caseAccess(c))
      ) {
        throw DomainError.forbidden('Only a supervisor of the district sets a case confidential');
      }
      const fields: string[] = [];
      const caseFields = [
        'mainConsultationType',
        'protection',
        'risk',
        'abuseTypes',
        'mainAbuser',
        'confidential',
        'youngCarer',
        'dvInvolved',
      ] as const;
      for (const field of caseFields) {
        if (dto[field] === undefined) continue;
        (c as unknown as Record<string, unknown>)[field] = dto[field];
        fields.push(field);
      }
      if (dto.subject && Object.keys(dto.subject).length > 0) {
        const subject = await m.getRepository(Person).findOneByOrFail({ id: c.subjectId });
        Object.assign(subject, dto.subject);
        if (dto.subject.familyNameKana !== undefined || dto.subject.givenNameKana !== undefined) {
          subject.nameKanaKey = normalizeKana(`${subject.familyNameKana ?? ''}${subject.givenNameKana ?? ''}`);
        }
        await m.getRepository(Person).save(subject);
        fields.push(...Object.keys(dto.subject).map((f) => `subject.${f}`));
      }
      if (dto.address !== undefined) {
        // PATCH corrects the current address; a move is POST /cases/{id}/moves.
        await setHouseholdAddress(m, c.householdId, {
          address: dto.address,
          change: 'correction',
          recordedBy: actor.userId,
        });
        fields.push('household.address');
      }
      c.updatedAt = new Date();
      // Saving bumps the version even when only the subject or household changed.
      await m.getRepository(Case).save(c);
      await m
        .getRepository(CaseEvent)
        .insert({ caseId: c.id, actorId: actor.userId, kind: 'update', details: { fields } });
      await this.audit.record(m, actor, {
        action: 'update',
        entityType: 'case',
        entityId: c.id,
        districtId: c.districtId,
        summary: { fields },
      });
      await this.domainEvents.publish(m, new CaseChanged(actor, c));
      return this.view(m, actor, id, { audit: false });
    });
  }

  /**
   * PUT /cases/{id}/assignment: a supervisor of the case's district (and of the
   * target district when moving it) sets district, primary and co-counselors.
   * The primary counselor must be a current member of the target district.
   */
  async assign(actor: Actor, id: string, version: number, dto: AssignmentDto): Promise<CaseDetail | CaseHeader> {
    return this.db.transaction(async (m) => {
      const c = await this.records.load(m, actor, id, 'case.triage', { lock: true, open: true });
      if (c.version !== version) throw versionConflict(c.version);
      if (!allows(actor, 'case.triage', { ...caseAccess(c), districtId: dto.districtId })) {
        throw DomainError.forbidden('You do not oversee the target district');
      }
      const errors = await caseAssignmentErrors(m, dto);
      if (errors.length > 0) throw DomainError.validation(errors);
      const before = {
        districtId: c.districtId,
        primaryCounselorId: c.primaryCounselorId,
        coCounselorIds: c.coCounselorIds,
      };
      c.districtId = dto.districtId;
      c.primaryCounselorId = dto.primaryCounselorId;
      c.coCounselorIds = dto.coCounselorIds.filter((u) => u !== dto.primaryCounselorId);
      c.updatedAt = new Date();
      await m.getRepository(Case).save(c);
      const after = {
        districtId: c.districtId,
        primaryCounselorId: c.primaryCounselorId,
        coCounselorIds: c.coCounselorIds,
      };
      const event = await m
        .getRepository(CaseEvent)
        .save({ caseId: c.id, actorId: actor.userId, kind: 'assignment', details: { before, after } });
      await this.audit.record(m, actor, {
        action: 'assign',
        entityType: 'case',
        entityId: c.id,
        districtId: c.districtId,
        summary: { ...after, movedDistrict: before.districtId !== after.districtId },
      });
      const previous = new Set([before.primaryCounselorId, ...before.coCounselorIds]);
      const newAssignees = [c.primaryCounselorId as string, ...c.coCounselorIds].filter((u) => !previous.has(u));
      await this.domainEvents.publish(m, new CaseAssigned(actor, c, newAssignees, before.primaryCounselorId, event.id));
      await this.domainEvents.publish(m, new CaseChanged(actor, c));
      return this.view(m, actor, id, { audit: false });
    });
  }

  /** POST /cases/{id}/transitions: one row of the lifecycle table, with its event. */
  async transition(actor: Actor, id: string, dto: CaseTransitionDto): Promise<CaseDetail | CaseHeader> {
    return this.db.transaction(async (m) => {
      const c = await this.records.load(m, actor, id, 'case.read', { lock: true });
      if (dto.version !== undefined && dto.version !== c.version) throw versionConflict(c.version);
      await caseLifecycle.apply(m, this.audit, c, dto.action, { actor, input: dto, now: new Date() }, CASE_TRANSITIONS);
      await this.domainEvents.publish(m, new CaseChanged(actor, c));
      return this.view(m, actor, id, { audit: false });
    });
  }

  /**
   * A referral was recorded about the case: its `hasReferral` flag, which the
   * access policy reads. Called by the referrals module in its transaction.
   * Raw SQL, not the repository: its update bumps the case's version
   * (@VersionColumn), and a referral is not an edit of the case record (a
   * counselor's If-Match stays valid).
   */
  async markReferred(m: EntityManager, caseId: string): Promise<void> {
    await m.query(`UPDATE cases SET has_referral = true WHERE id = $1`, [caseId]);
  }

  /** GET /cases/{id}/events: the timeline, oldest first. */
  async events(actor: Actor, id: string): Promise<Page<CaseEventView>> {
    return this.db.transaction(async (m) => {
      const c = await this.records.load(m, actor, id, 'case.read');
      const events = await m.getRepository(CaseEvent).find({ where: { caseId: id }, order: { id: 'ASC' } });
      await this.audit.record(m, actor, {
        action: 'read',
        entityType: 'case_events',
        entityId: id,
        districtId: c.districtId,
      });
      const users = await userRefs(
        m,
        events.map((e) => e.actorId),
      );
      const items = events.map((e): CaseEventView => ({
        id: e.id,
        occurredAt: e.occurredAt,
        actorId: e.actorId,
        actor: refOf(users, e.actorId),
        kind: e.kind,
        action: e.action,
        fromStatus: e.fromStatus,
        toStatus: e.toStatus,
        reason: e.reason,
        details: e.details,
      }));
      return { items, nextCursor: null };
    });
  }
}

/** How a case keeps a step of its lifecycle: the case saved, a `transition` case event, and its audit entry. */
const CASE_TRANSITIONS: TransitionLog<CaseStatus, CaseAction, Case, CaseTransitionInput> = {
  async write(m, c, step, { actor, input, now }) {
    c.updatedAt = now;
    await m.getRepository(Case).save(c);
    await m.getRepository(CaseEvent).insert({
      caseId: c.id,
      actorId: actor.userId,
      kind: 'transition',
      action: step.action,
      fromStatus: step.from,
      toStatus: step.to,
      reason: input.reason ?? null,
      details: c.closureReason ? { closureReason: c.closureReason } : {},
    });
  },
  audit: (c, step) => ({
    action: 'transition',
    entityType: 'case',
    entityId: c.id,
    districtId: c.districtId,
    summary: { action: step.action, from: step.from, to: step.to },
  }),
};

/**
 * Filters over fields beyond the case header: a header reader (staff) who
 * could filter on them would learn them one yes/no at a time (which cases are
 * urgent, whose cases they are). They filter on number, status and district.
 */
const BEYOND_HEADER = ['counselorId', 'protection', 'risk', 'hasOverdueTasks'] as const;

function refuseBeyondHeader(query: ListCasesQuery): void {
  const used = BEYOND_HEADER.filter((field) => query[field] !== undefined);
  if (used.length > 0) {
    throw DomainError.validation(
      used.map((field) => ({
        field,
        message: `${field} is not a filter you may use: only number, status and district`,
      })),
    );
  }
}
