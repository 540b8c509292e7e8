import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiIdempotencyKey, ApiPage, ApiProblems, ApiResult } from '../core/http/openapi';
import type { Page } from '../core/http/pagination';
import type { FastifyReply } from 'fastify';
import { uuidParam } from '../core/http/validation';
import { Allow, CurrentActor } from '../access/decorators';
import type { Actor } from '../access/policy';
import { CreateReferralDto, ListReferralsQuery, ReferralTransitionDto } from './dto/referral.dto';
import { ReferralReceipt, ReferralsService, ReferralView } from './referrals.service';

@ApiTags('referrals')
@ApiBearerAuth()
@Controller('referrals')
export class ReferralsController {
  constructor(private readonly referrals: ReferralsService) {}

  /**
   * An outgoing referral (a draft, sent by the `send` transition) or an
   * incoming one (registered as received; without `caseId` it opens a case in
   * intake). Outgoing referrals to organizations outside the council need
   * consent or another basis: 422 `consent_required`. Honours Idempotency-Key.
   */
  @Allow('referral.create_outgoing', 'referral.register_incoming')
  @Post()
  @ApiOperation({ summary: 'Record an outgoing referral (a draft) or register an incoming one' })
  @ApiIdempotencyKey()
  @ApiResult([ReferralView, ReferralReceipt], { status: 201 })
  @ApiProblems(409)
  async create(
    @CurrentActor() actor: Actor,
    @Body() dto: CreateReferralDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ReferralView | ReferralReceipt> {
    const result = await this.referrals.create(actor, dto, key);
    void reply.status(result.status);
    if (result.replayed) void reply.header('idempotent-replayed', 'true');
    return result.body;
  }

  /** Filters status, direction, organizationId, caseId, overdue; only referrals in scope. */
  @Allow('referral.read')
  @Get()
  @ApiOperation({ summary: 'List the referrals in your scope' })
  @ApiPage(ReferralView)
  list(@CurrentActor() actor: Actor, @Query() query: ListReferralsQuery): Promise<Page<ReferralView>> {
    return this.referrals.list(actor, query);
  }

  @Allow('referral.read')
  @Get(':id')
  @ApiOperation({ summary: 'Read a referral with its history' })
  @ApiResult(ReferralView)
  get(@CurrentActor() actor: Actor, @Param('id', uuidParam) id: string): Promise<ReferralView> {
    return this.referrals.get(actor, id);
  }

  @Allow('referral.transition')
  @Post(':id/transitions')
  @HttpCode(200)
  @ApiOperation({ summary: 'Move a referral on (send, accept, decline, start, complete, withdraw)' })
  @ApiResult(ReferralView)
  @ApiProblems(409)
  transition(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam) id: string,
    @Body() dto: ReferralTransitionDto,
  ): Promise<ReferralView> {
    return this.referrals.transition(actor, id, dto);
  }
}
