import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { uuidParam } from '../core/http/validation';
import { Allow, CurrentActor } from '../access/decorators';
import type { Actor } from '../access/policy';
import { ListQuery } from '../core/http/pagination';
import { expectedVersion, IfMatch } from '../core/http/versioning';
import { CasesService } from './cases.service';
import { ConsultationsService } from './consultations.service';
import { AssignmentDto, CaseTransitionDto, ListCasesQuery, UpdateCaseDto } from './dto/case.dto';
import { ConsultationDto, IntakeDto } from './dto/intake.dto';
import { IntakeService } from './intake.service';

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
   * to `caseId`. A likely duplicate is a 409 `possible_duplicate` unless
   * `confirmNew`. Honours Idempotency-Key.
   */
  @Allow('case.intake')
  @Post('intakes')
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  async intake(
    @CurrentActor() actor: Actor,
    @Body() dto: IntakeDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.intakes.intake(actor, dto, key);
    void reply.status(result.status);
    if (result.replayed) void reply.header('idempotent-replayed', 'true');
    return result.body;
  }

  @Allow('case.read', 'case.read_header')
  @Get('cases')
  list(@CurrentActor() actor: Actor, @Query() query: ListCasesQuery) {
    return this.cases.list(actor, query);
  }

  @Allow('case.read', 'case.read_header')
  @Get('cases/:id')
  get(@CurrentActor() actor: Actor, @Param('id', uuidParam) id: string) {
    return this.cases.get(actor, id);
  }

  @Allow('case.edit')
  @Patch('cases/:id')
  update(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam) id: string,
    @IfMatch() ifMatch: string | undefined,
    @Body() dto: UpdateCaseDto,
  ) {
    return this.cases.update(actor, id, expectedVersion(ifMatch, dto.version), dto);
  }

  @Allow('case.triage')
  @Put('cases/:id/assignment')
  assign(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam) id: string,
    @IfMatch() ifMatch: string | undefined,
    @Body() dto: AssignmentDto,
  ) {
    return this.cases.assign(actor, id, expectedVersion(ifMatch, dto.version), dto);
  }

  @Allow('case.triage', 'case.progress', 'case.close')
  @Post('cases/:id/transitions')
  @HttpCode(200)
  transition(@CurrentActor() actor: Actor, @Param('id', uuidParam) id: string, @Body() dto: CaseTransitionDto) {
    return this.cases.transition(actor, id, dto);
  }

  @Allow('case.read')
  @Get('cases/:id/events')
  events(@CurrentActor() actor: Actor, @Param('id', uuidParam) id: string) {
    return this.cases.events(actor, id);
  }

  @Allow('case.read')
  @Get('cases/:id/consultations')
  listConsultations(@CurrentActor() actor: Actor, @Param('id', uuidParam) id: string, @Query() query: ListQuery) {
    return this.consultations.list(actor, id, query);
  }

  @Allow('case.edit')
  @Post('cases/:id/consultations')
  addConsultation(@CurrentActor() actor: Actor, @Param('id', uuidParam) id: string, @Body() dto: ConsultationDto) {
    return this.consultations.add(actor, id, dto);
  }

  @Allow('case.read')
  @Get('consultations/:id')
  consultation(@CurrentActor() actor: Actor, @Param('id', uuidParam) id: string) {
    return this.consultations.get(actor, id);
  }
}
