import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiIfMatch, ApiPage, ApiProblems, ApiResult } from '../core/http/openapi';
import type { Page } from '../core/http/pagination';
import { uuidParam } from '../core/http/validation';
import { Allow, CurrentActor } from '../access/decorators';
import type { Actor } from '../access/policy';
import { expectedVersion, IfMatch } from '../core/http/versioning';
import { CreateUserDto, ListUsersQuery, UpdateUserDto } from './dto/user.dto';
import { UserView, UserWithPassword, UsersService } from './users.service';

@ApiTags('directory')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Allow('directory.read')
  @Get()
  @ApiOperation({ summary: 'List user accounts' })
  @ApiPage(UserView)
  list(@Query() query: ListUsersQuery): Promise<Page<UserView>> {
    return this.users.list(query);
  }

  @Allow('directory.manage')
  @Post()
  @ApiOperation({ summary: 'Create a user account' })
  @ApiResult(UserWithPassword, { status: 201 })
  @ApiProblems(409)
  create(@CurrentActor() actor: Actor, @Body() dto: CreateUserDto): Promise<UserWithPassword> {
    return this.users.create(actor, dto);
  }

  @Allow('directory.read')
  @Get(':id')
  @ApiOperation({ summary: 'Read a user account' })
  @ApiResult(UserView)
  get(@Param('id', uuidParam) id: string): Promise<UserView> {
    return this.users.get(id);
  }

  @Allow('directory.manage')
  @Patch(':id')
  @ApiOperation({ summary: 'Edit a user account' })
  @ApiIfMatch()
  @ApiResult(UserView)
  update(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam) id: string,
    @IfMatch() ifMatch: string | undefined,
    @Body() dto: UpdateUserDto,
  ): Promise<UserView> {
    return this.users.update(actor, id, expectedVersion(ifMatch, dto.version), dto);
  }

  @Allow('directory.manage')
  @Post(':id/deactivate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Deactivate a user account (its tokens stop working)' })
  @ApiResult(UserView)
  deactivate(@CurrentActor() actor: Actor, @Param('id', uuidParam) id: string): Promise<UserView> {
    return this.users.deactivate(actor, id);
  }

  @Allow('directory.manage')
  @Post(':id/reset-password')
  @HttpCode(200)
  @ApiOperation({ summary: 'Give a user a new one-time password' })
  @ApiResult(UserWithPassword)
  resetPassword(@CurrentActor() actor: Actor, @Param('id', uuidParam) id: string): Promise<UserWithPassword> {
    return this.users.resetPassword(actor, id);
  }
}
