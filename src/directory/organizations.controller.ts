import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiIfMatch, ApiPage, ApiProblems, ApiResult } from '../core/http/openapi';
import type { Page } from '../core/http/pagination';
import { uuidParam } from '../core/http/validation';
import { Allow, CurrentActor } from '../access/decorators';
import type { Actor } from '../access/policy';
import { expectedVersion, IfMatch } from '../core/http/versioning';
import { CreateOrganizationDto, ListOrganizationsQuery, UpdateOrganizationDto } from './dto/organization.dto';
import { OrganizationsService, OrganizationView } from './organizations.service';

@ApiTags('directory')
@ApiBearerAuth()
@Controller('organizations')
export class OrganizationsController {
  constructor(private readonly organizations: OrganizationsService) {}

  @Allow('directory.read')
  @Get()
  @ApiOperation({ summary: 'List organizations (departments and agencies)' })
  @ApiPage(OrganizationView)
  list(@Query() query: ListOrganizationsQuery): Promise<Page<OrganizationView>> {
    return this.organizations.list(query);
  }

  @Allow('directory.manage')
  @Post()
  @ApiOperation({ summary: 'Add an organization' })
  @ApiResult(OrganizationView, { status: 201 })
  @ApiProblems(409)
  create(@CurrentActor() actor: Actor, @Body() dto: CreateOrganizationDto): Promise<OrganizationView> {
    return this.organizations.create(actor, dto);
  }

  @Allow('directory.read')
  @Get(':id')
  @ApiOperation({ summary: 'Read an organization' })
  @ApiResult(OrganizationView)
  get(@Param('id', uuidParam) id: string): Promise<OrganizationView> {
    return this.organizations.get(id);
  }

  @Allow('directory.manage')
  @Patch(':id')
  @ApiOperation({ summary: 'Edit an organization' })
  @ApiIfMatch()
  @ApiResult(OrganizationView)
  update(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam) id: string,
    @IfMatch() ifMatch: string | undefined,
    @Body() dto: UpdateOrganizationDto,
  ): Promise<OrganizationView> {
    return this.organizations.update(actor, id, expectedVersion(ifMatch, dto.version), dto);
  }
}
