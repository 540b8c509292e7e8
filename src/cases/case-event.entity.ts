import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { CaseAction, CaseEventKind } from '../codes/code-lists';

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

  /** `/code-lists`: `caseEventKinds` */
  @Column('text')
  kind!: CaseEventKind;

  /** A transition's action (`caseActions`); null for every other kind. */
  @Column('text', { nullable: true })
  action!: CaseAction | null;

  @Column('text', { nullable: true })
  fromStatus!: string | null;

  @Column('text', { nullable: true })
  toStatus!: string | null;

  @Column('text', { nullable: true })
  reason!: string | null;

  @Column('jsonb', { default: {} })
  details!: Record<string, unknown>;
}
