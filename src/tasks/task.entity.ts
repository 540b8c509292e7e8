import { Column, Entity, PrimaryGeneratedColumn, VersionColumn } from 'typeorm';
import type {
  SafetyCheckResult,
  SightingMethod,
  TaskKind,
  TaskOrigin,
  TaskPriority,
  TaskStatus,
} from '../codes/code-lists';

/** What a safety check found (48-hour rule): kept with the completed task. */
export interface SafetyCheckOutcome {
  seenAt: string;
  place: string;
  seenBy: string;
  method: SightingMethod | null;
  result: SafetyCheckResult;
  concerns: string | null;
}

/** An abuse report a safety check answers (one check per notification, later ones attach to the open check). */
export interface SafetyCheckReport {
  source: 'consultation' | 'referral';
  sourceId: string;
  receivedAt: string;
}

/** Work that must happen later (domain.md, "Follow-up tasks"). Overdue is computed, never stored. */
@Entity('tasks')
export class Task {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  caseId!: string;

  @Column('uuid', { nullable: true })
  referralId!: string | null;

  @Column('text')
  kind!: TaskKind;

  @Column('text')
  title!: string;

  @Column('timestamptz')
  dueAt!: Date;

  @Column('timestamptz')
  dueSetAt!: Date;

  @Column('uuid')
  assigneeId!: string;

  @Column('text')
  priority!: TaskPriority;

  @Column('text')
  status!: TaskStatus;

  /** Who made it: a person or a rule (`/code-lists`: `taskOrigins`). */
  @Column('text')
  origin!: TaskOrigin;

  @Column('text', { nullable: true })
  originKey!: string | null;

  @Column('uuid', { nullable: true })
  createdBy!: string | null;

  @Column('timestamptz', { nullable: true })
  closedAt!: Date | null;

  @Column('uuid', { nullable: true })
  closedBy!: string | null;

  @Column('text', { nullable: true })
  note!: string | null;

  /** The abuse reports a safety check answers, oldest first; empty for every other task. */
  @Column('jsonb', { default: [] })
  reports!: SafetyCheckReport[];

  /** A completed safety check's outcome; null for every other task. */
  @Column('jsonb', { nullable: true })
  outcome!: SafetyCheckOutcome | null;

  @Column('timestamptz', { default: () => 'now()' })
  createdAt!: Date;

  @Column('timestamptz', { default: () => 'now()' })
  updatedAt!: Date;

  @VersionColumn()
  version!: number;
}
