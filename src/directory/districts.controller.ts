import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { uuidParam } from '../core/http/validation';
import { Allow, CurrentActor } from '../access/decorators';
import type { Actor } from '../access/policy';
import { expectedVersion, IfMatch } from '../core/http/versioning';
import { DistrictsService } from './districts.service';
import {
  AddMemberDto,
  AddSupervisorDto,
  CreateDistrictDto,
  MembershipHistoryQuery,
  ResolveDistrictQuery,
  UpdateDistrictDto,
} from './dto/district.dto';

@ApiTags('directory')
@ApiBearerAuth()
@Controller('districts')
export class DistrictsController {
  constructor(private readonly districts: DistrictsService) {}

  @Allow('directory.read')
  @Get()
  list() {
    return this.districts.list();
  }

  @Allow('directory.manage')
  @Post()
  create(@CurrentActor() actor: Actor, @Body() dto: CreateDistrictDto) {
    return this.districts.create(actor, dto);
  }

  /** The district whose areas match the address, or 404. */
  @Allow('directory.read')
  @Get('resolve')
  resolve(@Query() query: ResolveDistrictQuery) {
    return this.districts.resolve(query.address);
  }

  @Allow('directory.read')
  @Get(':id')
  get(@Param('id', uuidParam) id: string) {
    return this.districts.get(id);
  }

  @Allow('directory.manage')
  @Patch(':id')
  update(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam) id: string,
    @IfMatch() ifMatch: string | undefined,
    @Body() dto: UpdateDistrictDto,
  ) {
    return this.districts.update(actor, id, expectedVersion(ifMatch, dto.version), dto);
  }

  @Allow('directory.read')
  @Get(':id/members')
  async members(@Param('id', uuidParam) id: string, @Query() query: MembershipHistoryQuery) {
    return { items: await this.districts.members(id, query.history === 'true'), nextCursor: null };
  }

  @Allow('membership.manage')
  @Post(':id/members')
  addMember(@CurrentActor() actor: Actor, @Param('id', uuidParam) id: string, @Body() dto: AddMemberDto) {
    return this.districts.addMember(actor, id, dto.userId, dto.role);
  }

  /** Ends the membership; the history is kept. */
  @Allow('membership.manage')
  @Delete(':id/members/:userId')
  @HttpCode(204)
  async endMember(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam) id: string,
    @Param('userId', uuidParam) userId: string,
  ) {
    await this.districts.endMember(actor, id, userId);
  }

  @Allow('directory.read')
  @Get(':id/supervisors')
  async supervisors(@Param('id', uuidParam) id: string, @Query() query: MembershipHistoryQuery) {
    return { items: await this.districts.supervisors(id, query.history === 'true'), nextCursor: null };
  }

  @Allow('directory.manage')
  @Post(':id/supervisors')
  addSupervisor(@CurrentActor() actor: Actor, @Param('id', uuidParam) id: string, @Body() dto: AddSupervisorDto) {
    return this.districts.addSupervisor(actor, id, dto.userId);
  }

  @Allow('directory.manage')
  @Delete(':id/supervisors/:userId')
  @HttpCode(204)
  async endSupervisor(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam) id: string,
    @Param('userId', uuidParam) userId: string,
  ) {
    await this.districts.endSupervisor(actor, id, userId);
  }
}
