import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
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
import {
  CONFERENCE_KINDS,
  SAFETY_CHECK_RESULTS,
  SIGHTING_METHODS,
  TASK_KINDS,
  TASK_PRIORITIES,
  TASK_STATUSES,
  type ConferenceKind,
  type SafetyCheckResult,
  type SightingMethod,
  type TaskKind,
  type TaskPriority,
  type TaskStatus,
} from '../../codes/code-lists';
import { ListQuery } from '../../core/http/pagination';
import { IsInstant, IsOmittable, NotInTheFuture, oneOf } from '../../core/http/validators';

export class CreateTaskDto {
  @IsIn(TASK_KINDS, oneOf(TASK_KINDS, 'kind'))
  kind!: TaskKind;

  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title!: string;

  @IsInstant()
  dueAt!: string;

  @IsUUID('4')
  assigneeId!: string;

  @IsOmittable()
  @IsIn(TASK_PRIORITIES, oneOf(TASK_PRIORITIES, 'priority'))
  priority?: TaskPriority;
}

export class UpdateTaskDto {
  /** Only a task made by hand changes kind; a rule's task (48-hour check, review, follow-up) keeps it. */
  @IsOmittable()
  @IsIn(TASK_KINDS, oneOf(TASK_KINDS, 'kind'))
  kind?: TaskKind;

  @IsOmittable()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title?: string;

  @IsOmittable()
  @IsInstant()
  dueAt?: string;

  /** Reassigning is a supervisor's (access.md). */
  @IsOmittable()
  @IsUUID('4')
  assigneeId?: string;

  @IsOmittable()
  @IsIn(TASK_PRIORITIES, oneOf(TASK_PRIORITIES, 'priority'))
  priority?: TaskPriority;

  /** Required to postpone a task made by a rule (a supervisor's decision, recorded on the case). */
  @IsOmittable()
  @IsString()
  @MinLength(1)
  @MaxLength(2_000)
  reason?: string;

  @IsOmittable()
  @IsInt()
  @Min(1)
  version?: number;
}

export class CloseTaskDto {
  @IsOmittable()
  @IsString()
  @MaxLength(2_000)
  note?: string;
}

/** Why a task is cancelled: required for a task made by a rule (a supervisor's decision). */
export class CancelTaskDto extends CloseTaskDto {
  @IsOmittable()
  @IsString()
  @MinLength(1)
  @MaxLength(2_000)
  reason?: string;
}

/** What a safety check found: when, where, by whom and how the child was seen, and the result. */
export class SafetyCheckOutcomeDto {
  /** When the child was seen (or, for `not_seen`, when it was tried). */
  @IsInstant()
  @NotInTheFuture()
  seenAt!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(200)
  place!: string;

  /** Who saw the child: the center's staff and any others present. */
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  seenBy!: string;

  /** Seen directly (直接目視), or otherwise; not asked when the child was not seen. */
  @ValidateIf((o: SafetyCheckOutcomeDto) => o.result !== 'not_seen' || o.method !== undefined)
  @IsIn(SIGHTING_METHODS, oneOf(SIGHTING_METHODS, 'method'))
  method?: SightingMethod;

  @IsIn(SAFETY_CHECK_RESULTS, oneOf(SAFETY_CHECK_RESULTS, 'result'))
  result!: SafetyCheckResult;

  /** What was seen: required when the result is `concerns`. */
  @ValidateIf((o: SafetyCheckOutcomeDto) => o.result === 'concerns' || o.concerns !== undefined)
  @IsString()
  @MinLength(1)
  @MaxLength(2_000)
  concerns?: string;
}

export class CompleteTaskDto extends CloseTaskDto {
  /** Required for a safety check, refused for any other task. */
  @IsOmittable()
  @ValidateNested()
  @Type(() => SafetyCheckOutcomeDto)
  outcome?: SafetyCheckOutcomeDto;
}

export class ListTasksQuery extends ListQuery {
  /** A user id, or `me`. */
  @ApiPropertyOptional()
  @IsOmittable()
  @Matches(/^(me|[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12})$/i, {
    message: 'assigneeId must be a user id or me',
  })
  assigneeId?: string;

  @ApiPropertyOptional({ enum: TASK_STATUSES })
  @IsOmittable()
  @IsIn(TASK_STATUSES, oneOf(TASK_STATUSES, 'status'))
  status?: TaskStatus;

  /** Open and past the due time (computed, never stored). */
  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @IsOmittable()
  @IsIn(['true', 'false'])
  overdue?: 'true' | 'false';

  @ApiPropertyOptional()
  @IsOmittable()
  @IsUUID('4')
  caseId?: string;

  @ApiPropertyOptional({ enum: TASK_KINDS })
  @IsOmittable()
  @IsIn(TASK_KINDS, oneOf(TASK_KINDS, 'kind'))
  kind?: TaskKind;

  @ApiPropertyOptional()
  @IsOmittable()
  @IsInstant()
  dueBefore?: string;
}

export class CreateConferenceDto {
  @IsIn(CONFERENCE_KINDS, oneOf(CONFERENCE_KINDS, 'kind'))
  kind!: ConferenceKind;

  @IsInstant()
  @NotInTheFuture()
  heldAt!: string;

  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsUUID('4', { each: true })
  attendeeUserIds!: string[];

  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsUUID('4', { each: true })
  attendeeOrganizationIds!: string[];

  @IsString()
  @MinLength(1)
  @MaxLength(20_000)
  decisions!: string;

  /** Becomes a `review` task. */
  @IsOmittable()
  @IsInstant()
  nextReviewAt?: string;
}
