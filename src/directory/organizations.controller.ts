import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Allow, CurrentActor } from '../access/decorators';
import type { Actor } from '../access/policy';
import { expectedVersion, IfMatch } from '../core/http/versioning';
import { CreateOrganizationDto, ListOrganizationsQuery, UpdateOrganizationDto } from './dto/organization.dto';
import { OrganizationsService } from './organizations.service';

const uuid = new ParseUUIDPipe({ version: '4' });

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
  get(@Param('id', uuid) id: string) {
    return this.organizations.get(id);
  }

  @Allow('directory.manage')
  @Patch(':id')
  update(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @IfMatch() ifMatch: string | undefined,
    @Body() dto: UpdateOrganizationDto,
  ) {
    return this.organizations.update(actor, id, expectedVersion(ifMatch, dto.version), dto);
  }
}
