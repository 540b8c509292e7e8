import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../access/policy';
import { AuditLog } from '../audit/audit.service';
import { AppConfig } from '../core/config/app-config';
import { DomainError } from '../core/errors/domain-error';
import { ListQuery, Page } from '../core/http/pagination';
import { isAfterHours } from '../core/time/business-time';
import { DomainEvents } from '../core/events/domain-events';
import { userRefs } from '../directory/user-ref';
import { ConsultationArrival, ConsultationRecorded } from './case.events';
import { CaseRecords } from './case-records';
import { Case } from './case.entity';
import { CaseEvent } from './case-event.entity';
import { Consultation } from './consultation.entity';
import { ConsultationDto } from './dto/intake.dto';
import { consultationView, ConsultationView } from './views';

/** Consultations (相談記録): recorded on a case, read with it, never edited away. */
@Injectable()
export class ConsultationsService {
  constructor(
    private readonly db: DataSource,
    private readonly records: CaseRecords,
    private readonly audit: AuditLog,
    private readonly config: AppConfig,
    private readonly domainEvents: DomainEvents,
  ) {}

  /**
   * Records a consultation on a case the actor may edit, in the caller's
   * transaction: the case's list of types seen and abuse types grow with it.
   */
  async record(
    m: EntityManager,
    actor: Actor,
    c: Case,
    dto: ConsultationDto,
    arrival: ConsultationArrival,
  ): Promise<Consultation> {
    const isIntake = arrival === 'new_case';
    const occurredAt = new Date(dto.occurredAt);
    const consultation = await m.getRepository(Consultation).save(
      m.getRepository(Consultation).create({
        caseId: c.id,
        occurredAt,
        durationMinutes: dto.durationMinutes,
        counselorId: actor.userId,
        channel: dto.channel,
        route: dto.route,
        consultationType: dto.consultationType,
        bullying: dto.bullying ?? false,
        abuseTypes: dto.abuseTypes ?? [],
        mainAbuser: dto.mainAbuser ?? null,
        abuseNotification: dto.abuseNotification ?? false,
        afterHours: isAfterHours(occurredAt, this.config.TZ_BUSINESS, this.config.officeHours, this.config.closedDays),
        summary: dto.summary,
        nextAction: dto.nextAction ?? null,
        isIntake,
      }),
    );
    if (!isIntake) {
      // Derived lists, not edited fields: they do not bump the case's version (the repository's update would,
      // @VersionColumn), and merging arrays without duplicates has no query-builder form: raw SQL.
      await m.query(
        `UPDATE cases SET
           consultation_types = ARRAY(SELECT DISTINCT unnest(consultation_types || $2::text[])),
           abuse_types = ARRAY(SELECT DISTINCT unnest(abuse_types || $3::text[])),
           main_abuser = coalesce($4, main_abuser),
           updated_at = now()
         WHERE id = $1`,
        [c.id, [dto.consultationType], dto.abuseTypes ?? [], dto.mainAbuser ?? null],
      );
      await m.getRepository(CaseEvent).insert({
        caseId: c.id,
        actorId: actor.userId,
        kind: 'consultation_added',
        details: { consultationId: consultation.id, consultationType: dto.consultationType },
      });
    }
    await this.audit.record(m, actor, {
      action: 'create',
      entityType: 'consultation',
      entityId: consultation.id,
      districtId: c.districtId,
      summary: { caseId: c.id, consultationType: dto.consultationType, channel: dto.channel, intake: isIntake },
    });
    await this.domainEvents.publish(m, new ConsultationRecorded(actor, c, consultation, arrival));
    return consultation;
  }

  /** POST /cases/{id}/consultations */
  async add(actor: Actor, caseId: string, dto: ConsultationDto): Promise<ConsultationView> {
    return this.db.transaction(async (m) => {
      const c = await this.records.load(m, actor, caseId, 'case.edit', { lock: true, open: true });
      const consultation = await this.record(m, actor, c, dto, 'contact');
      return consultationView(consultation, await userRefs(m, [consultation.counselorId]));
    });
  }

  async list(actor: Actor, caseId: string, query: ListQuery): Promise<Page<ConsultationView>> {
    return this.db.transaction(async (m) => {
      const c = await this.records.load(m, actor, caseId, 'case.read');
      const qb = m.getRepository(Consultation).createQueryBuilder('k').where('k.caseId = :caseId', { caseId });
      return this.records.page(m, actor, qb, query, {
        keyset: { at: 'k.occurredAt', id: 'k.id', order: 'DESC', keyOf: (k) => [k.occurredAt, k.id] },
        present: async (rows) => {
          const users = await userRefs(
            m,
            rows.map((k) => k.counselorId),
          );
          return rows.map((k) => consultationView(k, users));
        },
        audit: (k) => ({ entityType: 'consultation', entityId: k.id, districtId: c.districtId }),
      });
    });
  }

  async get(actor: Actor, id: string): Promise<ConsultationView> {
    return this.db.transaction(async (m) => {
      const consultation = await m.getRepository(Consultation).findOneBy({ id });
      if (!consultation) throw DomainError.notFound('Consultation');
      // Reading a consultation is reading its case: same scope, same 404.
      const c = await this.records.load(m, actor, consultation.caseId, 'case.read').catch((error: unknown) => {
        throw error instanceof DomainError && error.code === 'not_found' ? DomainError.notFound('Consultation') : error;
      });
      await this.audit.record(m, actor, {
        action: 'read',
        entityType: 'consultation',
        entityId: id,
        districtId: c.districtId,
      });
      return consultationView(consultation, await userRefs(m, [consultation.counselorId]));
    });
  }
}
