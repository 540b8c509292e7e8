import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiPage, ApiResult } from '../core/http/openapi';
import type { Page } from '../core/http/pagination';
import { Allow, CurrentActor } from '../access/decorators';
import type { Actor } from '../access/policy';
import { ChainReport } from './audit-chain';
import { AuditEventsService, AuditEventView } from './audit-events.service';
import { ListAuditEventsQuery } from './dto/audit.dto';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit-events')
export class AuditController {
  constructor(private readonly events: AuditEventsService) {}

  @Allow('audit.read')
  @Get()
  @ApiOperation({ summary: 'Read the audit log, newest first' })
  @ApiPage(AuditEventView)
  list(@CurrentActor() actor: Actor, @Query() query: ListAuditEventsQuery): Promise<Page<AuditEventView>> {
    return this.events.list(actor, query);
  }

  /** Walks the sealed hash chain and names the first broken link. Admins only: it covers every entry. */
  @Allow('audit.verify')
  @Get('verify')
  @ApiOperation({ summary: "Verify the audit log's hash chain" })
  @ApiResult(ChainReport)
  verify(@CurrentActor() actor: Actor): Promise<ChainReport> {
    return this.events.verify(actor);
  }
}
