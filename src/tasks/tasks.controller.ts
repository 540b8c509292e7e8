import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiIfMatch, ApiPage, ApiProblems, ApiResult } from '../core/http/openapi';
import type { Page } from '../core/http/pagination';
import { uuidParam } from '../core/http/validation';
import { Allow, CurrentActor } from '../access/decorators';
import type { Actor } from '../access/policy';
import { expectedVersion, IfMatch } from '../core/http/versioning';
import { ConferencesService, ConferenceView } from './conferences.service';
import {
  CancelTaskDto,
  CompleteTaskDto,
  CreateConferenceDto,
  CreateTaskDto,
  ListTasksQuery,
  UpdateTaskDto,
} from './dto/task.dto';
import { TasksService, TaskView } from './tasks.service';

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
  @ApiOperation({ summary: 'List the tasks in your scope, soonest due first' })
  @ApiPage(TaskView)
  list(@CurrentActor() actor: Actor, @Query() query: ListTasksQuery): Promise<Page<TaskView>> {
    return this.tasks.list(actor, query);
  }

  @Allow('task.manage')
  @Post('cases/:id/tasks')
  @ApiOperation({ summary: 'Add a task to a case' })
  @ApiResult(TaskView, { status: 201 })
  @ApiProblems(409)
  create(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam) caseId: string,
    @Body() dto: CreateTaskDto,
  ): Promise<TaskView> {
    return this.tasks.create(actor, caseId, dto);
  }

  @Allow('task.read')
  @Get('tasks/:id')
  @ApiOperation({ summary: 'Read a task' })
  @ApiResult(TaskView)
  get(@CurrentActor() actor: Actor, @Param('id', uuidParam) id: string): Promise<TaskView> {
    return this.tasks.get(actor, id);
  }

  @Allow('task.manage')
  @Patch('tasks/:id')
  @ApiOperation({ summary: 'Edit a task (title, due time, assignee, priority)' })
  @ApiIfMatch()
  @ApiResult(TaskView)
  update(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam) id: string,
    @IfMatch() ifMatch: string | undefined,
    @Body() dto: UpdateTaskDto,
  ): Promise<TaskView> {
    return this.tasks.update(actor, id, expectedVersion(ifMatch, dto.version), dto);
  }

  @Allow('task.manage')
  @Post('tasks/:id/complete')
  @HttpCode(200)
  @ApiOperation({ summary: 'Complete a task' })
  @ApiResult(TaskView)
  @ApiProblems(409)
  complete(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam) id: string,
    @Body() dto: CompleteTaskDto,
  ): Promise<TaskView> {
    return this.tasks.complete(actor, id, dto);
  }

  @Allow('task.manage')
  @Post('tasks/:id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel a task' })
  @ApiResult(TaskView)
  @ApiProblems(409)
  cancel(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam) id: string,
    @Body() dto: CancelTaskDto,
  ): Promise<TaskView> {
    return this.tasks.cancel(actor, id, dto);
  }

  @Allow('conference.manage')
  @Post('cases/:id/conferences')
  @ApiOperation({ summary: 'Record a case conference and its decisions' })
  @ApiResult(ConferenceView, { status: 201 })
  createConference(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam) caseId: string,
    @Body() dto: CreateConferenceDto,
  ): Promise<ConferenceView> {
    return this.conferences.create(actor, caseId, dto);
  }

  @Allow('conference.read')
  @Get('cases/:id/conferences')
  @ApiOperation({ summary: "List a case's conferences" })
  @ApiPage(ConferenceView, { description: 'All of them; `nextCursor` is always null' })
  listConferences(@CurrentActor() actor: Actor, @Param('id', uuidParam) caseId: string): Promise<Page<ConferenceView>> {
    return this.conferences.list(actor, caseId);
  }
}
