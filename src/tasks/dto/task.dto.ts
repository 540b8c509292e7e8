import { ApiPropertyOptional } from '@nestjs/swagger';
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
} from 'class-validator';
import {
  CONFERENCE_KINDS,
  TASK_KINDS,
  TASK_PRIORITIES,
  TASK_STATUSES,
  type ConferenceKind,
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
