import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { uuidParam } from '../core/http/validation';
import { Allow, CurrentActor } from '../access/decorators';
import type { Actor } from '../access/policy';
import { expectedVersion, IfMatch } from '../core/http/versioning';
import { CreateOrganizationDto, ListOrganizationsQuery, UpdateOrganizationDto } from './dto/organization.dto';
import { OrganizationsService } from './organizations.service';

@ApiTags('directory')
@ApiBearerAuth()
@Controller('organizations')
export class OrganizationsController {
  constructor(private readonly organizations: OrganizationsService) {}

  @Allow('directory.read')
  @Get()
  list(@Query() query: ListOrganizationsQuery) {
    return this.organizations.list(query);
  }

  @Allow('directory.manage')
  @Post()
  create(@CurrentActor() actor: Actor, @Body() dto: CreateOrganizationDto) {
    return this.organizations.create(actor, dto);
  }

  @Allow('directory.read')
  @Get(':id')
  get(@Param('id', uuidParam) id: string) {
    return this.organizations.get(id);
  }

  @Allow('directory.manage')
  @Patch(':id')
  update(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam) id: string,
    @IfMatch() ifMatch: string | undefined,
    @Body() dto: UpdateOrganizationDto,
  ) {
    return this.organizations.update(actor, id, expectedVersion(ifMatch, dto.version), dto);
  }
}
