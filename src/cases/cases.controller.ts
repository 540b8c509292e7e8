import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { uuidParam } from '../core/http/validation';
import { Allow, CurrentActor } from '../access/decorators';
import type { Actor } from '../access/policy';
import { ListQuery, Page } from '../core/http/pagination';
import { ApiIdempotencyKey, ApiIfMatch, ApiPage, ApiProblems, ApiResult } from '../core/http/openapi';
import { expectedVersion, IfMatch } from '../core/http/versioning';
import { CasesService } from './cases.service';
import { ConsultationsService } from './consultations.service';
import { AssignmentDto, CaseTransitionDto, ListCasesQuery, UpdateCaseDto } from './dto/case.dto';
import { ConsultationDto, IntakeDto } from './dto/intake.dto';
import { IntakeService } from './intake.service';
import { CaseDetail, CaseEventView, CaseHeader, CaseListItem, ConsultationView, IntakeResult } from './views';

@ApiTags('cases')
@ApiBearerAuth()
@Controller()
export class CasesController {
  constructor(
    private readonly intakes: IntakeService,
    private readonly cases: CasesService,
    private readonly consultations: ConsultationsService,
  ) {}

  /**
   * Records a consultation: opens a case in `intake` for a new subject, or adds
   * to `caseId`, or to the case a `matchToken` stands for (answering ids only).
   * A likely duplicate is a 409 `possible_duplicate` unless `confirmNew`.
   * Honours Idempotency-Key.
   */
  @Allow('case.intake')
  @Post('intakes')
  @ApiOperation({ summary: 'Record a consultation, opening a case for a new subject' })
  @ApiIdempotencyKey()
  @ApiResult(IntakeResult, { status: 201 })
  @ApiProblems(409)
  async intake(
    @CurrentActor() actor: Actor,
    @Body() dto: IntakeDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<IntakeResult> {
    const result = await this.intakes.intake(actor, dto, key);
    void reply.status(result.status);
    if (result.replayed) void reply.header('idempotent-replayed', 'true');
    return result.body;
  }

  @Allow('case.read', 'case.read_header')
  @Get('cases')
  @ApiOperation({ summary: 'List the cases in your scope, newest first' })
  @ApiPage([CaseListItem, CaseHeader], { description: 'Staff see case headers only' })
  list(@CurrentActor() actor: Actor, @Query() query: ListCasesQuery): Promise<Page<CaseListItem | CaseHeader>> {
    return this.cases.list(actor, query);
  }

  @Allow('case.read', 'case.read_header')
  @Get('cases/:id')
  @ApiOperation({ summary: 'Read a case with its household and latest consultations' })
  @ApiResult([CaseDetail, CaseHeader], { description: 'Staff see the header only' })
  get(@CurrentActor() actor: Actor, @Param('id', uuidParam) id: string): Promise<CaseDetail | CaseHeader> {
    return this.cases.get(actor, id);
  }

  @Allow('case.edit')
  @Patch('cases/:id')
  @ApiOperation({ summary: 'Edit a case, its subject and household' })
  @ApiIfMatch()
  @ApiResult([CaseDetail, CaseHeader])
  update(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam) id: string,
    @IfMatch() ifMatch: string | undefined,
    @Body() dto: UpdateCaseDto,
  ): Promise<CaseDetail | CaseHeader> {
    return this.cases.update(actor, id, expectedVersion(ifMatch, dto.version), dto);
  }

  @Allow('case.triage')
  @Put('cases/:id/assignment')
  @ApiOperation({ summary: 'Assign the district and counselors of a case' })
  @ApiIfMatch()
  @ApiResult([CaseDetail, CaseHeader])
  assign(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam) id: string,
    @IfMatch() ifMatch: string | undefined,
    @Body() dto: AssignmentDto,
  ): Promise<CaseDetail | CaseHeader> {
    return this.cases.assign(actor, id, expectedVersion(ifMatch, dto.version), dto);
  }

  @Allow('case.triage', 'case.progress', 'case.close')
  @Post('cases/:id/transitions')
  @HttpCode(200)
  @ApiOperation({ summary: 'Move a case through its lifecycle (accept, close, reopen, ...)' })
  @ApiResult([CaseDetail, CaseHeader])
  @ApiProblems(409)
  transition(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam) id: string,
    @Body() dto: CaseTransitionDto,
  ): Promise<CaseDetail | CaseHeader> {
    return this.cases.transition(actor, id, dto);
  }

  @Allow('case.read')
  @Get('cases/:id/events')
  @ApiOperation({ summary: "Read a case's timeline" })
  @ApiPage(CaseEventView, { description: 'The whole timeline, oldest first; `nextCursor` is always null' })
  events(@CurrentActor() actor: Actor, @Param('id', uuidParam) id: string): Promise<Page<CaseEventView>> {
    return this.cases.events(actor, id);
  }

  @Allow('case.read')
  @Get('cases/:id/consultations')
  @ApiOperation({ summary: "List a case's consultations, newest first" })
  @ApiPage(ConsultationView)
  listConsultations(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam) id: string,
    @Query() query: ListQuery,
  ): Promise<Page<ConsultationView>> {
    return this.consultations.list(actor, id, query);
  }

  @Allow('case.edit')
  @Post('cases/:id/consultations')
  @ApiOperation({ summary: 'Record a consultation on a case' })
  @ApiResult(ConsultationView, { status: 201 })
  @ApiProblems(409)
  addConsultation(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam) id: string,
    @Body() dto: ConsultationDto,
  ): Promise<ConsultationView> {
    return this.consultations.add(actor, id, dto);
  }

  @Allow('case.read')
  @Get('consultations/:id')
  @ApiOperation({ summary: 'Read a consultation' })
  @ApiResult(ConsultationView)
  consultation(@CurrentActor() actor: Actor, @Param('id', uuidParam) id: string): Promise<ConsultationView> {
    return this.consultations.get(actor, id);
  }
}
