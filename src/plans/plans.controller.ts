import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
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
  list(@CurrentActor() actor: Actor, @Param('id', uuidParam) id: string): Promise<PlanList> {
    return this.plans.list(actor, id);
  }

  /** Drafts a new version (the first plan, or a revision); 409 while another is being drafted or approved. */
  @Allow('case.edit')
  @Post('cases/:id/plans')
  create(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam) id: string,
    @Body() dto: CreatePlanDto,
  ): Promise<PlanView> {
    return this.plans.create(actor, id, dto);
  }

  @Allow('case.read')
  @Get('plans/:id')
  get(@CurrentActor() actor: Actor, @Param('id', uuidParam) id: string): Promise<PlanView> {
    return this.plans.get(actor, id);
  }

  /** Changes a draft (If-Match); submitted, approved and superseded versions are read-only (409). */
  @Allow('case.edit')
  @Patch('plans/:id')
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
  agree(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam) id: string,
    @Body() dto: PlanAgreementDto,
  ): Promise<PlanView> {
    return this.plans.agree(actor, id, dto);
  }
}
