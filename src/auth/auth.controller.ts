import { Body, Controller, Get, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import { AnyUser, CurrentActor, DuringPasswordChange } from '../access/decorators';
import { Public } from '../core/http/public';
import type { Actor } from '../access/policy';
import { originOf } from '../core/http/request-origin';
import { UsersService } from '../directory/users.service';
import { AuthService } from './auth.service';
import { ChangePasswordDto, LoginDto, RefreshDto } from './dto/auth.dto';
import { LoginGuard } from './login.guard';
import type { TokenPair } from './token.service';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
  ) {}

  /** 200 with tokens; 401 for a wrong user or password (one body for both); 429 while locked out or rate limited. */
  @Public()
  @Post('login')
  @HttpCode(200)
  @UseGuards(ThrottlerGuard, LoginGuard)
  @ApiBody({ type: LoginDto })
  async login(@Req() request: FastifyRequest & { user: { user: { id: string }; tokens: TokenPair } }) {
    const { user, tokens } = request.user;
    return { ...tokens, user: await this.users.profile(user.id) };
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @UseGuards(ThrottlerGuard)
  refresh(@Body() body: RefreshDto, @Req() request: FastifyRequest) {
    return this.auth.refresh(body.refreshToken, originOf(request));
  }

  @AnyUser()
  @DuringPasswordChange()
  @ApiBearerAuth()
  @Post('logout')
  @HttpCode(204)
  async logout(@CurrentActor() actor: Actor, @Body() body: RefreshDto): Promise<void> {
    await this.auth.logout(actor, body.refreshToken);
  }

  @AnyUser()
  @DuringPasswordChange()
  @ApiBearerAuth()
  @Get('me')
  me(@CurrentActor() actor: Actor) {
    return this.users.profile(actor.userId);
  }

  @AnyUser()
  @DuringPasswordChange()
  @ApiBearerAuth()
  @Post('password')
  @HttpCode(204)
  async changePassword(@CurrentActor() actor: Actor, @Body() body: ChangePasswordDto): Promise<void> {
    await this.auth.changePassword(actor, body.currentPassword, body.newPassword);
  }
}
