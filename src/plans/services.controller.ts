import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiIfMatch, ApiProblems, ApiResult } from '../core/http/openapi';
import { Allow, CurrentActor } from '../access/decorators';
import type { Actor } from '../access/policy';
import { ListQuery } from '../core/http/pagination';
import { uuidParam } from '../core/http/validation';
import { expectedVersion, IfMatch } from '../core/http/versioning';
import {
  CancelServiceUseDto,
  CreateServiceDto,
  RecordServiceUseDto,
  ServiceList,
  ServiceUsePage,
  ServiceUseView,
  ServiceView,
  UpdateServiceDto,
} from './dto/service.dto';
import { ServiceCatalog } from './service-catalog';
import { ServiceUses } from './service-uses.service';

/** The center's services and each recorded use (docs/domain.md, "Services"). */
@ApiTags('services')
@ApiBearerAuth()
@Controller()
export class ServicesController {
  constructor(
    private readonly catalog: ServiceCatalog,
    private readonly uses: ServiceUses,
  ) {}

  /** The services' code list, in list order, inactive ones included. */
  @Allow('directory.read')
  @Get('services')
  @ApiOperation({ summary: "The center's services, in list order" })
  @ApiResult(ServiceList)
  list(): Promise<ServiceList> {
    return this.catalog.list();
  }

  /** A service the city adds. */
  @Allow('directory.manage')
  @Post('services')
  @ApiOperation({ summary: 'Add a service' })
  @ApiResult(ServiceView, { status: 201 })
  @ApiProblems(409)
  create(@CurrentActor() actor: Actor, @Body() dto: CreateServiceDto): Promise<ServiceView> {
    return this.catalog.create(actor, dto);
  }

  /** Relabel a service or stop offering it (If-Match); its code and measure never change. */
  @Allow('directory.manage')
  @Patch('services/:code')
  @ApiOperation({ summary: 'Relabel a service or stop offering it' })
  @ApiIfMatch()
  @ApiResult(ServiceView)
  @ApiProblems(404)
  update(
    @CurrentActor() actor: Actor,
    @Param('code') code: string,
    @IfMatch() ifMatch: string | undefined,
    @Body() dto: UpdateServiceDto,
  ): Promise<ServiceView> {
    return this.catalog.update(actor, code, expectedVersion(ifMatch, dto.version), dto);
  }

  /** The case's recorded uses of services, newest first. */
  @Allow('case.read')
  @Get('cases/:id/service-uses')
  @ApiOperation({ summary: "A case's recorded uses of services, newest first" })
  @ApiResult(ServiceUsePage)
  listUses(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam) id: string,
    @Query() query: ListQuery,
  ): Promise<ServiceUsePage> {
    return this.uses.list(actor, id, query);
  }

  /** Records a delivered use, against the support plan in force. */
  @Allow('case.edit')
  @Post('cases/:id/service-uses')
  @ApiOperation({ summary: 'Record a delivered use of a service' })
  @ApiResult(ServiceUseView, { status: 201 })
  @ApiProblems(409)
  record(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam) id: string,
    @Body() dto: RecordServiceUseDto,
  ): Promise<ServiceUseView> {
    return this.uses.record(actor, id, dto);
  }

  @Allow('case.read')
  @Get('service-uses/:id')
  @ApiOperation({ summary: 'Read a recorded use of a service' })
  @ApiResult(ServiceUseView)
  getUse(@CurrentActor() actor: Actor, @Param('id', uuidParam) id: string): Promise<ServiceUseView> {
    return this.uses.get(actor, id);
  }

  /** Withdraws a record made by mistake, with a reason; it no longer counts in the figures. */
  @Allow('case.edit')
  @Post('service-uses/:id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Withdraw a use recorded by mistake' })
  @ApiResult(ServiceUseView)
  @ApiProblems(409)
  cancelUse(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam) id: string,
    @Body() dto: CancelServiceUseDto,
  ): Promise<ServiceUseView> {
    return this.uses.cancel(actor, id, dto);
  }
}
