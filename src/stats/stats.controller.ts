import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Allow, CurrentActor } from '../access/decorators';
import type { Actor } from '../access/policy';
import { uuidParam } from '../core/http/validation';
import { CreateExportDto, StatsExportDto, StatsQuery, StatsTableDto } from './dto/stats.dto';
import { StatsExports } from './exports.service';
import { StatsService } from './stats.service';

/**
 * Statistics in the national report's own categories (api.md, "Statistics
 * and exports"): aggregates only, counted through the same policy as every
 * list. Counselors are refused (403); supervisors see their districts.
 */
@ApiTags('statistics')
@ApiBearerAuth()
@Controller('stats')
export class StatsController {
  constructor(
    private readonly stats: StatsService,
    private readonly exports: StatsExports,
  ) {}

  /** Consultations by type (the tree), channel, route, district, month, counselor, abuse, age band, hours. */
  @Allow('stats.read')
  @Get('consultations')
  @ApiOperation({ summary: 'Consultation statistics as a report table' })
  @ApiOkResponse({ type: StatsTableDto })
  consultations(@CurrentActor() actor: Actor, @Query() query: StatsQuery): Promise<StatsTableDto> {
    return this.stats.query(actor, 'consultations', query);
  }

  /** Cases opened, closed (by reason) and open at the period's end; children counted once beside. */
  @Allow('stats.read')
  @Get('cases')
  @ApiOperation({ summary: 'Case statistics: opened, closed and open per period' })
  @ApiOkResponse({ type: StatsTableDto })
  cases(@CurrentActor() actor: Actor, @Query() query: StatsQuery): Promise<StatsTableDto> {
    return this.stats.query(actor, 'cases', query);
  }

  /** Referrals by organization (type), direction, kind and outcome. */
  @Allow('stats.read')
  @Get('referrals')
  @ApiOperation({ summary: 'Referral statistics by organization, direction, kind and outcome' })
  @ApiOkResponse({ type: StatsTableDto })
  referrals(@CurrentActor() actor: Actor, @Query() query: StatsQuery): Promise<StatsTableDto> {
    return this.stats.query(actor, 'referrals', query);
  }

  /** The 48-hour rule: received, confirmed within 48 h, late, not yet; median hours to confirmation. */
  @Allow('stats.read')
  @Get('safety-checks')
  @ApiOperation({ summary: '48-hour rule compliance' })
  @ApiOkResponse({ type: StatsTableDto })
  safetyChecks(@CurrentActor() actor: Actor, @Query() query: StatsQuery): Promise<StatsTableDto> {
    return this.stats.query(actor, 'safety_checks', query);
  }

  /**
   * Services per service (or district, month): uses (延べ回数) in `counts`, households, persons (延べ人数),
   * nights and hours beside them (docs/domain.md).
   */
  @Allow('stats.read')
  @Get('services')
  @ApiOperation({ summary: 'Service statistics: uses, households, persons, nights and hours' })
  @ApiOkResponse({ type: StatsTableDto })
  services(@CurrentActor() actor: Actor, @Query() query: StatsQuery): Promise<StatsTableDto> {
    return this.stats.query(actor, 'services', query);
  }

  /** Queues an export; the `reports` worker builds the file. */
  @Allow('stats.read')
  @Post('exports')
  @ApiOperation({ summary: 'Queue a statistics export as CSV' })
  @HttpCode(202)
  @ApiAcceptedResponse({ type: StatsExportDto })
  createExport(@CurrentActor() actor: Actor, @Body() dto: CreateExportDto): Promise<StatsExportDto> {
    return this.exports.create(actor, dto);
  }

  @Allow('stats.read')
  @Get('exports/:id')
  @ApiOperation({ summary: 'The state of a statistics export' })
  @ApiOkResponse({ type: StatsExportDto })
  getExport(@CurrentActor() actor: Actor, @Param('id', uuidParam) id: string): Promise<StatsExportDto> {
    return this.exports.get(actor, id);
  }

  /** The CSV (UTF-8 with BOM, CRLF), for its creator only, while it is kept. */
  @Allow('stats.read')
  @Get('exports/:id/file')
  @ApiOperation({ summary: 'Download a finished export (CSV)' })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'The CSV file', schema: { type: 'string', format: 'binary' } })
  async file(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Buffer> {
    const file = await this.exports.file(actor, id);
    void reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${file.name}"`)
      .header('cache-control', 'no-store');
    return file.bytes;
  }
}
