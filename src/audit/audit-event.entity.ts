import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One line of the append-only audit log; see migrations/…-Identity.ts for the trigger. */
@Entity('audit_events')
export class AuditEvent {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column('timestamptz')
  occurredAt!: Date;

  @Column('uuid', { nullable: true })
  actorId!: string | null;

  @Column('text', { nullable: true })
  actorUsername!: string | null;

  @Column('text')
  action!: string;

  @Column('text')
  entityType!: string;

  @Column('text', { nullable: true })
  entityId!: string | null;

  /** The district of the case concerned, so supervisors see their districts' entries. */
  @Column('uuid', { nullable: true })
  districtId!: string | null;

  @Column('text', { nullable: true })
  clientIp!: string | null;

  @Column('text', { nullable: true })
  requestId!: string | null;

  /** What changed: field names and codes, never personal values. */
  @Column('jsonb')
  summary!: Record<string, unknown>;

  @Column('bigint', { nullable: true })
  seq!: string | null;

  @Column('text', { nullable: true })
  prevHash!: string | null;

  @Column('text', { nullable: true })
  hash!: string | null;

  @Column('timestamptz', { nullable: true })
  sealedAt!: Date | null;
}
