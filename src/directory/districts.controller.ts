import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiIfMatch, ApiNoContent, ApiPage, ApiProblems, ApiResult } from '../core/http/openapi';
import type { Page } from '../core/http/pagination';
import { uuidParam } from '../core/http/validation';
import { Allow, CurrentActor } from '../access/decorators';
import type { Actor } from '../access/policy';
import { expectedVersion, IfMatch } from '../core/http/versioning';
import { DistrictsService, DistrictView, MembershipView } from './districts.service';
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
  @ApiOperation({ summary: 'List the districts' })
  @ApiPage(DistrictView, { description: 'Every district; `nextCursor` is always null' })
  list(): Promise<Page<DistrictView>> {
    return this.districts.list();
  }

  @Allow('directory.manage')
  @Post()
  @ApiOperation({ summary: 'Add a district' })
  @ApiResult(DistrictView, { status: 201 })
  @ApiProblems(409)
  create(@CurrentActor() actor: Actor, @Body() dto: CreateDistrictDto): Promise<DistrictView> {
    return this.districts.create(actor, dto);
  }

  /** The district whose areas match the address, or 404. */
  @Allow('directory.read')
  @Get('resolve')
  @ApiOperation({ summary: 'Find the district of an address' })
  @ApiResult(DistrictView)
  @ApiProblems(404)
  resolve(@Query() query: ResolveDistrictQuery): Promise<DistrictView> {
    return this.districts.resolve(query.address);
  }

  @Allow('directory.read')
  @Get(':id')
  @ApiOperation({ summary: 'Read a district' })
  @ApiResult(DistrictView)
  get(@Param('id', uuidParam) id: string): Promise<DistrictView> {
    return this.districts.get(id);
  }

  @Allow('directory.manage')
  @Patch(':id')
  @ApiOperation({ summary: 'Edit a district and its areas' })
  @ApiIfMatch()
  @ApiResult(DistrictView)
  update(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam) id: string,
    @IfMatch() ifMatch: string | undefined,
    @Body() dto: UpdateDistrictDto,
  ): Promise<DistrictView> {
    return this.districts.update(actor, id, expectedVersion(ifMatch, dto.version), dto);
  }

  @Allow('directory.read')
  @Get(':id/members')
  @ApiOperation({ summary: "List a district's counselors (with `history=true`, past ones too)" })
  @ApiPage(MembershipView, { description: 'All of them; `nextCursor` is always null' })
  async members(
    @Param('id', uuidParam) id: string,
    @Query() query: MembershipHistoryQuery,
  ): Promise<Page<MembershipView>> {
    return { items: await this.districts.members(id, query.history === 'true'), nextCursor: null };
  }

  @Allow('membership.manage')
  @Post(':id/members')
  @ApiOperation({ summary: 'Make a counselor a member or the lead of a district' })
  @ApiResult(MembershipView, { status: 201 })
  @ApiProblems(409)
  addMember(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam) id: string,
    @Body() dto: AddMemberDto,
  ): Promise<MembershipView> {
    return this.districts.addMember(actor, id, dto.userId, dto.role);
  }

  /** Ends the membership; the history is kept. */
  @Allow('membership.manage')
  @Delete(':id/members/:userId')
  @HttpCode(204)
  @ApiOperation({ summary: 'End a membership (the history is kept)' })
  @ApiNoContent()
  async endMember(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam) id: string,
    @Param('userId', uuidParam) userId: string,
  ) {
    await this.districts.endMember(actor, id, userId);
  }

  @Allow('directory.read')
  @Get(':id/supervisors')
  @ApiOperation({ summary: "List a district's supervisors (with `history=true`, past ones too)" })
  @ApiPage(MembershipView, { description: 'All of them; `nextCursor` is always null' })
  async supervisors(
    @Param('id', uuidParam) id: string,
    @Query() query: MembershipHistoryQuery,
  ): Promise<Page<MembershipView>> {
    return { items: await this.districts.supervisors(id, query.history === 'true'), nextCursor: null };
  }

  @Allow('directory.manage')
  @Post(':id/supervisors')
  @ApiOperation({ summary: 'Make a supervisor oversee a district' })
  @ApiResult(MembershipView, { status: 201 })
  @ApiProblems(409)
  addSupervisor(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam) id: string,
    @Body() dto: AddSupervisorDto,
  ): Promise<MembershipView> {
    return this.districts.addSupervisor(actor, id, dto.userId);
  }

  @Allow('directory.manage')
  @Delete(':id/supervisors/:userId')
  @HttpCode(204)
  @ApiOperation({ summary: "End a supervisor's oversight (the history is kept)" })
  @ApiNoContent()
  async endSupervisor(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam) id: string,
    @Param('userId', uuidParam) userId: string,
  ) {
    await this.districts.endSupervisor(actor, id, userId);
  }
}
