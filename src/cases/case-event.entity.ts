import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One line of a case's timeline: who did what, when, from which status to which. */
@Entity('case_events')
export class CaseEvent {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column('uuid')
  caseId!: string;

  @Column('timestamptz', { default: () => 'now()' })
  occurredAt!: Date;

  @Column('uuid', { nullable: true })
  actorId!: string | null;

  /** opened, transition, assignment, update, consultation_added; task_postponed, task_cancelled, safety_check_not_seen */
  @Column('text')
  kind!: string;

  @Column('text', { nullable: true })
  action!: string | null;

  @Column('text', { nullable: true })
  fromStatus!: string | null;

  @Column('text', { nullable: true })
  toStatus!: string | null;

  @Column('text', { nullable: true })
  reason!: string | null;

  @Column('jsonb', { default: {} })
  details!: Record<string, unknown>;
}
