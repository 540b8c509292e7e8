import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiIfMatch, ApiProblems, ApiResult } from '../core/http/openapi';
import { Allow, CurrentActor } from '../access/decorators';
import type { Actor } from '../access/policy';
import { uuidParam } from '../core/http/validation';
import { expectedVersion, IfMatch } from '../core/http/versioning';
import { CreatePlanDto, PlanAgreementDto, PlanList, PlanTransitionDto, PlanView, UpdatePlanDto } from './dto/plan.dto';
import { PlansService } from './plans.service';

/** Support plans (サポートプラン): access follows the case (docs/domain.md, "Support plans"). */
@ApiTags('support plans')
@ApiBearerAuth()
@Controller()
export class PlansController {
  constructor(private readonly plans: PlansService) {}

  /** Every version of the case's support plan, newest first. */
  @Allow('case.read')
  @Get('cases/:id/plans')
  @ApiOperation({ summary: "Every version of a case's support plan, newest first" })
  @ApiResult(PlanList)
  list(@CurrentActor() actor: Actor, @Param('id', uuidParam) id: string): Promise<PlanList> {
    return this.plans.list(actor, id);
  }

  /** Drafts a new version (the first plan, or a revision); 409 while another is being drafted or approved. */
  @Allow('case.edit')
  @Post('cases/:id/plans')
  @ApiOperation({ summary: 'Draft a new version of the support plan' })
  @ApiResult(PlanView, { status: 201 })
  @ApiProblems(409)
  create(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam) id: string,
    @Body() dto: CreatePlanDto,
  ): Promise<PlanView> {
    return this.plans.create(actor, id, dto);
  }

  @Allow('case.read')
  @Get('plans/:id')
  @ApiOperation({ summary: 'Read a version of a support plan' })
  @ApiResult(PlanView)
  get(@CurrentActor() actor: Actor, @Param('id', uuidParam) id: string): Promise<PlanView> {
    return this.plans.get(actor, id);
  }

  /** Changes a draft (If-Match); submitted, approved and superseded versions are read-only (409). */
  @Allow('case.edit')
  @Patch('plans/:id')
  @ApiOperation({ summary: 'Edit a draft support plan' })
  @ApiIfMatch()
  @ApiResult(PlanView)
  update(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam) id: string,
    @IfMatch() ifMatch: string | undefined,
    @Body() dto: UpdatePlanDto,
  ): Promise<PlanView> {
    return this.plans.update(actor, id, expectedVersion(ifMatch, dto.version), dto);
  }

  /** `submit` (whoever may edit the case), `approve` or `return` (a supervisor of the district). */
  @Allow('case.edit', 'plan.approve')
  @Post('plans/:id/transitions')
  @HttpCode(200)
  @ApiOperation({ summary: 'Submit, approve or return a support plan' })
  @ApiResult(PlanView)
  @ApiProblems(409)
  transition(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam) id: string,
    @Body() dto: PlanTransitionDto,
  ): Promise<PlanView> {
    return this.plans.transition(actor, id, dto);
  }

  /** Records, once, that the approved plan was explained to and agreed with the family. */
  @Allow('case.edit')
  @Post('plans/:id/agreement')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record that the family agreed to the approved plan' })
  @ApiResult(PlanView)
  @ApiProblems(409)
  agree(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam) id: string,
    @Body() dto: PlanAgreementDto,
  ): Promise<PlanView> {
    return this.plans.agree(actor, id, dto);
  }
}
