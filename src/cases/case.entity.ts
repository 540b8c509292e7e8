import { Column, Entity, PrimaryGeneratedColumn, VersionColumn } from 'typeorm';
import type { CaseStatus, ClosureReason, ProtectionRegistration, RiskLevel, SubjectKind } from '../codes/code-lists';

/** One support episode for one subject (domain.md, "Cases"). */
@Entity('cases')
export class Case {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** `2026-0042`: numbered per Japanese fiscal year. */
  @Column('text')
  number!: string;

  @Column('integer')
  fiscalYear!: number;

  @Column('uuid')
  subjectId!: string;

  @Column('text')
  subjectKind!: SubjectKind;

  @Column('uuid')
  householdId!: string;

  @Column('text')
  status!: CaseStatus;

  @Column('text', { nullable: true })
  statusBeforeClosureRequest!: CaseStatus | null;

  @Column('uuid', { nullable: true })
  districtId!: string | null;

  @Column('uuid', { nullable: true })
  primaryCounselorId!: string | null;

  @Column('uuid', { array: true })
  coCounselorIds!: string[];

  /** Primary and co-counselors; computed by the database. */
  @Column({ type: 'uuid', array: true, insert: false, update: false })
  assigneeIds!: string[];

  @Column('text')
  mainConsultationType!: string;

  @Column('text', { array: true })
  consultationTypes!: string[];

  @Column('text')
  protection!: ProtectionRegistration;

  @Column('text', { nullable: true })
  risk!: RiskLevel | null;

  @Column('text', { array: true })
  abuseTypes!: string[];

  @Column('text', { nullable: true })
  mainAbuser!: string | null;

  @Column('boolean')
  confidential!: boolean;

  @Column('boolean')
  youngCarer!: boolean;

  @Column('boolean')
  dvInvolved!: boolean;

  /** Set by the referrals module; staff see the header of such cases. */
  @Column('boolean')
  hasReferral!: boolean;

  @Column('timestamptz')
  openedAt!: Date;

  @Column('timestamptz', { nullable: true })
  acceptedAt!: Date | null;

  @Column('timestamptz', { nullable: true })
  closedAt!: Date | null;

  @Column('text', { nullable: true })
  closureReason!: ClosureReason | null;

  @Column('timestamptz', { default: () => 'now()' })
  createdAt!: Date;

  @Column('timestamptz', { default: () => 'now()' })
  updatedAt!: Date;

  @VersionColumn()
  version!: number;
}
