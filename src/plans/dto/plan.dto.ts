import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { PLAN_STATUSES, type PlanStatus } from '../../codes/code-lists';
import { UserRef } from '../../directory/user-ref';
import { IsCalendarDate, IsInstant, IsNullable, IsOmittable, NotInTheFuture, oneOf } from '../../core/http/validators';
import { PLAN_ACTIONS, type PlanAction } from '../plan-lifecycle';

/** A goal of the plan (目標) and the date it should be reached by. */
export class PlanGoalDto {
  @IsString()
  @MinLength(1)
  @MaxLength(2_000)
  goal!: string;

  @ApiProperty({ format: 'date' })
  @IsCalendarDate()
  targetDate!: string;
}

/**
 * Who does what (役割分担): a service of `GET /services` and/or an agency of
 * the directory, and its part. Neither: the center itself.
 */
export class PlanSupportDto {
  @IsOmittable()
  @Matches(/^[a-z][a-z0-9_]{1,39}$/, { message: 'serviceCode must be a service code' })
  serviceCode?: string;

  @IsOmittable()
  @IsUUID('4')
  organizationId?: string;

  /** What this service or agency does for the family. */
  @IsString()
  @MinLength(1)
  @MaxLength(2_000)
  role!: string;

  /** How often (週1回, 月2泊, ...), in words. */
  @IsOmittable()
  @IsString()
  @MaxLength(200)
  frequency?: string;
}

/** A new version of the case's support plan, drafted whole (a revision starts from the previous one's text). */
export class CreatePlanDto {
  /** 本人の意向: the child's (or expectant mother's) own wishes. */
  @IsOmittable()
  @IsString()
  @MaxLength(5_000)
  subjectWishes?: string;

  /** 保護者の意向: the guardians' wishes. */
  @IsOmittable()
  @IsString()
  @MaxLength(5_000)
  guardianWishes?: string;

  /** Assessed needs (課題・ニーズ). */
  @IsString()
  @MinLength(1)
  @MaxLength(20_000)
  needs!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  @Type(() => PlanGoalDto)
  goals!: PlanGoalDto[];

  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => PlanSupportDto)
  supports!: PlanSupportDto[];

  /** The lead agency (主担当機関) from the directory; null or left out: the center itself. */
  @IsNullable()
  @IsUUID('4')
  leadAgencyId?: string | null;

  /** When the plan is next reviewed; on approval it becomes a `review` task. */
  @IsInstant()
  nextReviewAt!: string;
}

/** Changes to a draft; anything left out stays. Approved and earlier versions are read-only. */
export class UpdatePlanDto {
  @IsOmittable()
  @IsString()
  @MaxLength(5_000)
  subjectWishes?: string;

  @IsOmittable()
  @IsString()
  @MaxLength(5_000)
  guardianWishes?: string;

  @IsOmittable()
  @IsString()
  @MinLength(1)
  @MaxLength(20_000)
  needs?: string;

  @IsOmittable()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  @Type(() => PlanGoalDto)
  goals?: PlanGoalDto[];

  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => PlanSupportDto)
  supports?: PlanSupportDto[];

  @IsNullable()
  @IsUUID('4')
  leadAgencyId?: string | null;

  @IsOmittable()
  @IsInstant()
  nextReviewAt?: string;

  @IsOmittable()
  @IsInt()
  @Min(1)
  version?: number;
}

export class PlanTransitionDto {
  /** `submit` (for approval), `approve` or `return` (a supervisor's, with a reason). */
  @ApiProperty({ enum: PLAN_ACTIONS })
  @IsIn(PLAN_ACTIONS, oneOf(PLAN_ACTIONS, 'action'))
  action!: PlanAction;

  /** Required to return a plan. */
  @ValidateIf((d: PlanTransitionDto) => d.reason !== undefined || d.action === 'return')
  @IsString()
  @MinLength(1)
  @MaxLength(2_000)
  reason?: string;

  @IsOmittable()
  @IsInt()
  @Min(1)
  version?: number;
}

/** The approved plan was explained to the family, who agreed to it. */
export class PlanAgreementDto {
  @ApiProperty({ format: 'date' })
  @IsCalendarDate()
  @NotInTheFuture()
  explainedOn!: string;

  /** Who in the family agreed (母, 父, 本人, ...), in words. */
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  agreedBy!: string;

  @IsOmittable()
  @IsString()
  @MaxLength(2_000)
  note?: string;
}

export class PlanGoal {
  @ApiProperty()
  goal!: string;
  @ApiProperty({ format: 'date' })
  targetDate!: string;
}

export class PlanSupport {
  @ApiProperty({ required: false })
  serviceCode?: string;
  @ApiProperty({ type: String, format: 'uuid', required: false })
  organizationId?: string;
  @ApiProperty()
  role!: string;
  @ApiProperty({ required: false })
  frequency?: string;
}

export class PlanAgreement {
  @ApiProperty({ format: 'date' })
  explainedOn!: string;
  /** The user who explained it. */
  @ApiProperty({ type: String, format: 'uuid' })
  explainedBy!: string;
  @ApiProperty({ type: UserRef, description: '`explainedBy`, named' })
  explainedByUser!: UserRef;
  /** Who in the family agreed (母, 父, 本人, ...), in words: a family member, never a user. */
  @ApiProperty()
  agreedBy!: string;
  @ApiProperty({ type: String, nullable: true })
  note!: string | null;
}

/** Uses of a service recorded against this plan (cancelled ones left out). */
export class PlanDelivery {
  @ApiProperty()
  serviceCode!: string;
  @ApiProperty()
  uses!: number;
  @ApiProperty()
  persons!: number;
  @ApiProperty()
  nights!: number;
  @ApiProperty()
  hours!: number;
}

export class PlanView {
  @ApiProperty({ type: String, format: 'uuid' })
  id!: string;
  @ApiProperty({ type: String, format: 'uuid' })
  caseId!: string;
  /** 1, 2, ... per case. */
  @ApiProperty()
  versionNumber!: number;
  @ApiProperty({ enum: PLAN_STATUSES })
  status!: PlanStatus;
  @ApiProperty()
  subjectWishes!: string;
  @ApiProperty()
  guardianWishes!: string;
  @ApiProperty()
  needs!: string;
  @ApiProperty({ type: [PlanGoal] })
  goals!: PlanGoal[];
  @ApiProperty({ type: [PlanSupport] })
  supports!: PlanSupport[];
  /** null: the center itself leads. */
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  leadAgencyId!: string | null;
  @ApiProperty({ type: String, format: 'date-time' })
  nextReviewAt!: Date;
  @ApiProperty({ type: String, format: 'uuid' })
  draftedBy!: string;
  @ApiProperty({ type: UserRef, description: '`draftedBy`, named' })
  draftedByUser!: UserRef;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  submittedAt!: Date | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  submittedBy!: string | null;
  @ApiProperty({ type: UserRef, nullable: true, description: '`submittedBy`, named' })
  submittedByUser!: UserRef | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  approvedAt!: Date | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  approvedBy!: string | null;
  @ApiProperty({ type: UserRef, nullable: true, description: '`approvedBy`, named' })
  approvedByUser!: UserRef | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  returnedAt!: Date | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  returnedBy!: string | null;
  @ApiProperty({ type: UserRef, nullable: true, description: '`returnedBy`, named' })
  returnedByUser!: UserRef | null;
  @ApiProperty({ type: String, nullable: true })
  returnReason!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  supersededAt!: Date | null;
  @ApiProperty({ type: PlanAgreement, nullable: true })
  familyAgreement!: PlanAgreement | null;
  @ApiProperty({ type: [PlanDelivery] })
  delivered!: PlanDelivery[];
  /** What the caller may do with this version now. */
  @ApiProperty({ enum: PLAN_ACTIONS, isArray: true })
  allowedActions!: PlanAction[];
  /** The review task made when this version was approved (on the approving answer only). */
  @ApiProperty({ type: String, format: 'uuid', nullable: true, required: false })
  reviewTaskId?: string | null;
  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: Date;
  @ApiProperty({ type: String, format: 'date-time' })
  updatedAt!: Date;
  @ApiProperty()
  version!: number;
}

export class PlanList {
  /** Every version, newest first. */
  @ApiProperty({ type: [PlanView] })
  items!: PlanView[];
  @ApiProperty({ type: String, nullable: true })
  nextCursor!: null;
}
