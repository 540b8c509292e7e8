import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { uuidParam } from '../core/http/validation';
import { Allow, CurrentActor } from '../access/decorators';
import type { Actor } from '../access/policy';
import { expectedVersion, IfMatch } from '../core/http/versioning';
import { CreateUserDto, ListUsersQuery, UpdateUserDto } from './dto/user.dto';
import { UsersService } from './users.service';

@ApiTags('directory')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Allow('directory.read')
  @Get()
  list(@Query() query: ListUsersQuery) {
    return this.users.list(query);
  }

  @Allow('directory.manage')
  @Post()
  create(@CurrentActor() actor: Actor, @Body() dto: CreateUserDto) {
    return this.users.create(actor, dto);
  }

  @Allow('directory.read')
  @Get(':id')
  get(@Param('id', uuidParam) id: string) {
    return this.users.get(id);
  }

  @Allow('directory.manage')
  @Patch(':id')
  update(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam) id: string,
    @IfMatch() ifMatch: string | undefined,
    @Body() dto: UpdateUserDto,
  ) {
    return this.users.update(actor, id, expectedVersion(ifMatch, dto.version), dto);
  }

  @Allow('directory.manage')
  @Post(':id/deactivate')
  @HttpCode(200)
  deactivate(@CurrentActor() actor: Actor, @Param('id', uuidParam) id: string) {
    return this.users.deactivate(actor, id);
  }

  @Allow('directory.manage')
  @Post(':id/reset-password')
  @HttpCode(200)
  resetPassword(@CurrentActor() actor: Actor, @Param('id', uuidParam) id: string) {
    return this.users.resetPassword(actor, id);
  }
}
