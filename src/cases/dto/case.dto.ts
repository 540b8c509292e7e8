import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsString,
  IsUUID,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import {
  ABUSE_TYPES,
  ASSIGNABLE_CONSULTATION_TYPES,
  CASE_STATUSES,
  CLOSURE_REASONS,
  MAIN_ABUSER_RELATIONS,
  PROTECTION_REGISTRATIONS,
  RISK_LEVELS,
  SEXES,
  type AbuseType,
  type CaseStatus,
  type ClosureReason,
  type MainAbuserRelation,
  type ProtectionRegistration,
  type RiskLevel,
  type Sex,
} from '../../codes/code-lists';
import { ListQuery } from '../../core/http/pagination';
import {
  IsCalendarDate,
  IsKana,
  IsNullable,
  IsOmittable,
  NestedObject,
  NotInTheFuture,
  oneOf,
} from '../../core/http/validators';
import { CASE_ACTIONS, type CaseAction } from '../case-lifecycle';

export class ListCasesQuery extends ListQuery {
  @ApiPropertyOptional({ enum: CASE_STATUSES })
  @IsOmittable()
  @IsIn(CASE_STATUSES, oneOf(CASE_STATUSES, 'status'))
  status?: CaseStatus;

  @ApiPropertyOptional()
  @IsOmittable()
  @IsUUID('4')
  districtId?: string;

  @ApiPropertyOptional()
  @IsOmittable()
  @IsUUID('4')
  counselorId?: string;

  @ApiPropertyOptional({ enum: PROTECTION_REGISTRATIONS })
  @IsOmittable()
  @IsIn(PROTECTION_REGISTRATIONS, oneOf(PROTECTION_REGISTRATIONS, 'protection'))
  protection?: ProtectionRegistration;

  @ApiPropertyOptional({ enum: RISK_LEVELS })
  @IsOmittable()
  @IsIn(RISK_LEVELS, oneOf(RISK_LEVELS, 'risk'))
  risk?: RiskLevel;

  /** Cases with an open task past its due time. */
  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @IsOmittable()
  @IsIn(['true', 'false'])
  hasOverdueTasks?: 'true' | 'false';

  /** A case number (prefix), or part of a name (kanji or kana), a guardian's name, the school or the address. */
  @ApiPropertyOptional()
  @IsOmittable()
  @IsString()
  @MinLength(1)
  @MaxLength(50)
  q?: string;
}

export class SubjectPatchDto {
  @IsOmittable()
  @IsString()
  @MinLength(1)
  @MaxLength(50)
  familyName?: string;

  @IsOmittable()
  @IsString()
  @MinLength(1)
  @MaxLength(50)
  givenName?: string;

  @IsOmittable()
  @IsKana()
  @MaxLength(50)
  familyNameKana?: string;

  @IsOmittable()
  @IsKana()
  @MaxLength(50)
  givenNameKana?: string;

  @IsOmittable()
  @IsCalendarDate()
  @NotInTheFuture()
  birthDate?: string;

  @IsOmittable()
  @IsCalendarDate()
  expectedDueDate?: string;

  @IsOmittable()
  @IsIn(SEXES, oneOf(SEXES, 'sex'))
  sex?: Sex;

  @IsOmittable()
  @IsString()
  @MaxLength(100)
  school?: string;
}

export class UpdateCaseDto {
  @IsOmittable()
  @NestedObject(() => SubjectPatchDto)
  subject?: SubjectPatchDto;

  @IsOmittable()
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  address?: string;

  @IsOmittable()
  @IsIn(ASSIGNABLE_CONSULTATION_TYPES, oneOf(ASSIGNABLE_CONSULTATION_TYPES, 'mainConsultationType'))
  mainConsultationType?: string;

  /** Registration with the regional council (要対協). */
  @IsOmittable()
  @IsIn(PROTECTION_REGISTRATIONS, oneOf(PROTECTION_REGISTRATIONS, 'protection'))
  protection?: ProtectionRegistration;

  @IsNullable()
  @IsIn(RISK_LEVELS, oneOf(RISK_LEVELS, 'risk'))
  risk?: RiskLevel | null;

  @IsOmittable()
  @IsArray()
  @ArrayUnique()
  @IsIn(ABUSE_TYPES, { each: true, ...oneOf(ABUSE_TYPES, 'each abuse type') })
  abuseTypes?: AbuseType[];

  @IsNullable()
  @IsIn(MAIN_ABUSER_RELATIONS, oneOf(MAIN_ABUSER_RELATIONS, 'mainAbuser'))
  mainAbuser?: MainAbuserRelation | null;

  /** 閲覧制限: supervisors only. */
  @IsOmittable()
  @IsBoolean()
  confidential?: boolean;

  @IsOmittable()
  @IsBoolean()
  youngCarer?: boolean;

  @IsOmittable()
  @IsBoolean()
  dvInvolved?: boolean;

  @IsOmittable()
  @IsInt()
  @Min(1)
  version?: number;
}

export class AssignmentDto {
  @IsUUID('4')
  districtId!: string;

  @IsUUID('4')
  primaryCounselorId!: string;

  @IsArray()
  @ArrayMaxSize(10)
  @ArrayUnique()
  @IsUUID('4', { each: true })
  coCounselorIds!: string[];

  @IsOmittable()
  @IsInt()
  @Min(1)
  version?: number;
}

export class CaseTransitionDto {
  @IsIn(CASE_ACTIONS, oneOf(CASE_ACTIONS, 'action'))
  action!: CaseAction;

  @IsOmittable()
  @IsString()
  @MinLength(1)
  @MaxLength(2_000)
  reason?: string;

  /** Required to request closure; a supervisor may correct it when approving. */
  @IsOmittable()
  @IsIn(CLOSURE_REASONS, oneOf(CLOSURE_REASONS, 'closureReason'))
  closureReason?: ClosureReason;

  @IsOmittable()
  @IsInt()
  @Min(1)
  version?: number;
}
