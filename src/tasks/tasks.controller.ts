import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { uuidParam } from '../core/http/validation';
import { Allow, CurrentActor } from '../access/decorators';
import type { Actor } from '../access/policy';
import { expectedVersion, IfMatch } from '../core/http/versioning';
import { ConferencesService } from './conferences.service';
import {
  CancelTaskDto,
  CompleteTaskDto,
  CreateConferenceDto,
  CreateTaskDto,
  ListTasksQuery,
  UpdateTaskDto,
} from './dto/task.dto';
import { TasksService } from './tasks.service';

@ApiTags('tasks')
@ApiBearerAuth()
@Controller()
export class TasksController {
  constructor(
    private readonly tasks: TasksService,
    private readonly conferences: ConferencesService,
  ) {}

  /** Filters: assigneeId (or `me`), status, overdue, caseId, kind, dueBefore; only tasks in scope. */
  @Allow('task.read')
  @Get('tasks')
  list(@CurrentActor() actor: Actor, @Query() query: ListTasksQuery) {
    return this.tasks.list(actor, query);
  }

  @Allow('task.manage')
  @Post('cases/:id/tasks')
  create(@CurrentActor() actor: Actor, @Param('id', uuidParam) caseId: string, @Body() dto: CreateTaskDto) {
    return this.tasks.create(actor, caseId, dto);
  }

  @Allow('task.read')
  @Get('tasks/:id')
  get(@CurrentActor() actor: Actor, @Param('id', uuidParam) id: string) {
    return this.tasks.get(actor, id);
  }

  @Allow('task.manage')
  @Patch('tasks/:id')
  update(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam) id: string,
    @IfMatch() ifMatch: string | undefined,
    @Body() dto: UpdateTaskDto,
  ) {
    return this.tasks.update(actor, id, expectedVersion(ifMatch, dto.version), dto);
  }

  @Allow('task.manage')
  @Post('tasks/:id/complete')
  @HttpCode(200)
  complete(@CurrentActor() actor: Actor, @Param('id', uuidParam) id: string, @Body() dto: CompleteTaskDto) {
    return this.tasks.complete(actor, id, dto);
  }

  @Allow('task.manage')
  @Post('tasks/:id/cancel')
  @HttpCode(200)
  cancel(@CurrentActor() actor: Actor, @Param('id', uuidParam) id: string, @Body() dto: CancelTaskDto) {
    return this.tasks.cancel(actor, id, dto);
  }

  @Allow('conference.manage')
  @Post('cases/:id/conferences')
  createConference(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam) caseId: string,
    @Body() dto: CreateConferenceDto,
  ) {
    return this.conferences.create(actor, caseId, dto);
  }

  @Allow('conference.read')
  @Get('cases/:id/conferences')
  listConferences(@CurrentActor() actor: Actor, @Param('id', uuidParam) caseId: string) {
    return this.conferences.list(actor, caseId);
  }
}
