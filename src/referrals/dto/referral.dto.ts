import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsString, IsUUID, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { HouseholdDto, SubjectDto } from '../../cases/dto/intake.dto';
import {
  ASSIGNABLE_CONSULTATION_TYPES,
  CHANNELS,
  LEGAL_BASES,
  REFERRAL_DIRECTIONS,
  REFERRAL_KINDS,
  REFERRAL_STATUSES,
  REFERRAL_URGENCIES,
  type Channel,
  type ConsultationType,
  type LegalBasis,
  type ReferralDirection,
  type ReferralKind,
  type ReferralStatus,
  type ReferralUrgency,
} from '../../codes/code-lists';
import { ListQuery } from '../../core/http/pagination';
import { IsInstant, IsOmittable, NestedObject, oneOf } from '../../core/http/validators';
import { REFERRAL_ACTIONS, type ReferralAction } from '../referral-lifecycle';

export class CreateReferralDto {
  /** Required for outgoing referrals; an incoming one without it names its subject and opens a case. */
  @ValidateIf((r: CreateReferralDto) => r.caseId !== undefined || r.direction === 'outgoing')
  @IsUUID('4')
  caseId?: string;

  @IsIn(REFERRAL_DIRECTIONS, oneOf(REFERRAL_DIRECTIONS, 'direction'))
  direction!: ReferralDirection;

  @IsIn(REFERRAL_KINDS, oneOf(REFERRAL_KINDS, 'kind'))
  kind!: ReferralKind;

  @IsUUID('4')
  organizationId!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(5_000)
  reason!: string;

  @IsIn(REFERRAL_URGENCIES, oneOf(REFERRAL_URGENCIES, 'urgency'))
  urgency!: ReferralUrgency;

  @IsIn(LEGAL_BASES, oneOf(LEGAL_BASES, 'legalBasis'))
  legalBasis!: LegalBasis;

  /** What personal information is (to be) shared. */
  @IsString()
  @MinLength(1)
  @MaxLength(10_000)
  sharedInformation!: string;

  /** A due date the two sides agreed, instead of the default for the urgency. */
  @IsOmittable()
  @IsInstant()
  responseDueAt?: string;

  /** The child an incoming referral is about, when there is no case yet. */
  @ValidateIf(
    (r: CreateReferralDto) => r.subject !== undefined || (r.direction === 'incoming' && r.caseId === undefined),
  )
  @NestedObject(() => SubjectDto)
  subject?: SubjectDto;

  @IsOmittable()
  @NestedObject(() => HouseholdDto)
  household?: HouseholdDto;

  /** The type recorded on the intake consultation of a new case (default: abuse for a notification). */
  @IsOmittable()
  @IsIn(ASSIGNABLE_CONSULTATION_TYPES, oneOf(ASSIGNABLE_CONSULTATION_TYPES, 'consultationType'))
  consultationType?: ConsultationType;

  @IsOmittable()
  @IsIn(CHANNELS, oneOf(CHANNELS, 'channel'))
  channel?: Channel;

  /** Open a new case even though a likely duplicate exists. */
  @IsOmittable()
  @IsBoolean()
  confirmNew?: boolean;
}

export class ReferralTransitionDto {
  @IsIn(REFERRAL_ACTIONS, oneOf(REFERRAL_ACTIONS, 'action'))
  action!: ReferralAction;

  @IsOmittable()
  @IsString()
  @MaxLength(5_000)
  note?: string;

  @IsOmittable()
  @IsInt()
  @Min(1)
  version?: number;
}

export class ListReferralsQuery extends ListQuery {
  @ApiPropertyOptional({ enum: REFERRAL_STATUSES })
  @IsOmittable()
  @IsIn(REFERRAL_STATUSES, oneOf(REFERRAL_STATUSES, 'status'))
  status?: ReferralStatus;

  @ApiPropertyOptional({ enum: REFERRAL_DIRECTIONS })
  @IsOmittable()
  @IsIn(REFERRAL_DIRECTIONS, oneOf(REFERRAL_DIRECTIONS, 'direction'))
  direction?: ReferralDirection;

  @ApiPropertyOptional()
  @IsOmittable()
  @IsUUID('4')
  organizationId?: string;

  @ApiPropertyOptional()
  @IsOmittable()
  @IsUUID('4')
  caseId?: string;

  /** Sent, unanswered and past its response due date. */
  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @IsOmittable()
  @IsIn(['true', 'false'])
  overdue?: 'true' | 'false';
}
