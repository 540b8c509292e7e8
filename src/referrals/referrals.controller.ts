import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { uuidParam } from '../core/http/validation';
import { Allow, CurrentActor } from '../access/decorators';
import type { Actor } from '../access/policy';
import { CreateReferralDto, ListReferralsQuery, ReferralTransitionDto } from './dto/referral.dto';
import { ReferralsService } from './referrals.service';

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
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  async create(
    @CurrentActor() actor: Actor,
    @Body() dto: CreateReferralDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.referrals.create(actor, dto, key);
    void reply.status(result.status);
    if (result.replayed) void reply.header('idempotent-replayed', 'true');
    return result.body;
  }

  /** Filters status, direction, organizationId, caseId, overdue; only referrals in scope. */
  @Allow('referral.read')
  @Get()
  list(@CurrentActor() actor: Actor, @Query() query: ListReferralsQuery) {
    return this.referrals.list(actor, query);
  }

  @Allow('referral.read')
  @Get(':id')
  get(@CurrentActor() actor: Actor, @Param('id', uuidParam) id: string) {
    return this.referrals.get(actor, id);
  }

  @Allow('referral.transition')
  @Post(':id/transitions')
  @HttpCode(200)
  transition(@CurrentActor() actor: Actor, @Param('id', uuidParam) id: string, @Body() dto: ReferralTransitionDto) {
    return this.referrals.transition(actor, id, dto);
  }
}
