import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Allow, CurrentActor } from '../access/decorators';
import type { Actor } from '../access/policy';
import { AuditEventsService } from './audit-events.service';
import { ListAuditEventsQuery } from './dto/audit.dto';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit-events')
export class AuditController {
  constructor(private readonly events: AuditEventsService) {}

  @Allow('audit.read')
  @Get()
  list(@CurrentActor() actor: Actor, @Query() query: ListAuditEventsQuery) {
    return this.events.list(actor, query);
  }

  /** Walks the sealed hash chain and names the first broken link. Admins only: it covers every entry. */
  @Allow('audit.verify')
  @Get('verify')
  verify(@CurrentActor() actor: Actor) {
    return this.events.verify(actor);
  }
}
