import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, CurrentActor } from '../access/decorators';
import type { Actor } from '../access/policy';
import { ListQuery } from '../core/http/pagination';
import { uuidParam } from '../core/http/validation';
import { CaseRecordResponse } from './dto/record.dto';
import { CaseRecordService } from './record.service';

@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases/:id/record')
export class CaseRecordController {
  constructor(private readonly record: CaseRecordService) {}

  /**
   * The whole child record (児童記録票) for reading and printing, audited as a
   * read of all of it. The progress record comes `limit` consultations at a
   * time (1 to 100, default 100 here: summaries run to 20,000 characters), oldest first; follow
   * `progressRecord.nextCursor`.
   */
  @Allow('case.read')
  @Get()
  @ApiOperation({ summary: 'The whole child record (児童記録票), for reading and printing' })
  @ApiOkResponse({ type: CaseRecordResponse })
  read(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam) id: string,
    @Query() query: ListQuery,
  ): Promise<CaseRecordResponse> {
    return this.record.read(actor, id, query);
  }
}
