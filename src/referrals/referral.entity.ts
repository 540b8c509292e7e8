import { Column, Entity, PrimaryGeneratedColumn, VersionColumn } from 'typeorm';
import type { LegalBasis, ReferralDirection, ReferralKind, ReferralStatus, ReferralUrgency } from '../codes/code-lists';

/** A referral to or from another department or agency (domain.md, "Referrals"). */
@Entity('referrals')
export class Referral {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  caseId!: string;

  @Column('text')
  direction!: ReferralDirection;

  @Column('text')
  kind!: ReferralKind;

  @Column('uuid')
  organizationId!: string;

  @Column('text')
  reason!: string;

  @Column('text')
  urgency!: ReferralUrgency;

  /** Why personal information may be shared with this organization. */
  @Column('text')
  legalBasis!: LegalBasis;

  @Column('text')
  sharedInformation!: string;

  @Column('text')
  status!: ReferralStatus;

  @Column('timestamptz', { nullable: true })
  agreedResponseDueAt!: Date | null;

  @Column('timestamptz', { nullable: true })
  responseDueAt!: Date | null;

  @Column('timestamptz', { nullable: true })
  sentAt!: Date | null;

  @Column('uuid', { nullable: true })
  sentBy!: string | null;

  @Column('timestamptz', { nullable: true })
  respondedAt!: Date | null;

  @Column('timestamptz', { nullable: true })
  closedAt!: Date | null;

  @Column('uuid')
  createdBy!: string;

  @Column('timestamptz', { default: () => 'now()' })
  createdAt!: Date;

  @Column('timestamptz', { default: () => 'now()' })
  updatedAt!: Date;

  @VersionColumn()
  version!: number;
}
