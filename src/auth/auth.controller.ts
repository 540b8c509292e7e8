import { Body, Controller, Get, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiNoContent, ApiProblems, ApiResult } from '../core/http/openapi';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import { AnyUser, CurrentActor, DuringPasswordChange } from '../access/decorators';
import { Public } from '../core/http/public';
import type { Actor } from '../access/policy';
import { originOf } from '../core/http/request-origin';
import { Profile, UsersService } from '../directory/users.service';
import { AuthService } from './auth.service';
import { ChangePasswordDto, LoginDto, LoginResult, RefreshDto } from './dto/auth.dto';
import { LoginGuard } from './login.guard';
import { TokenPair } from './token.service';

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
  @ApiOperation({ summary: 'Log in with username and password' })
  @ApiResult(LoginResult)
  @ApiProblems(400, 401, 429)
  async login(
    @Req() request: FastifyRequest & { user: { user: { id: string }; tokens: TokenPair } },
  ): Promise<LoginResult> {
    const { user, tokens } = request.user;
    return { ...tokens, user: await this.users.profile(user.id) };
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @UseGuards(ThrottlerGuard)
  @ApiOperation({ summary: 'Trade a refresh token for a new token pair' })
  @ApiResult(TokenPair)
  @ApiProblems(401, 429)
  refresh(@Body() body: RefreshDto, @Req() request: FastifyRequest): Promise<TokenPair> {
    return this.auth.refresh(body.refreshToken, originOf(request));
  }

  @AnyUser()
  @DuringPasswordChange()
  @ApiBearerAuth()
  @Post('logout')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a refresh token' })
  @ApiNoContent()
  async logout(@CurrentActor() actor: Actor, @Body() body: RefreshDto): Promise<void> {
    await this.auth.logout(actor, body.refreshToken);
  }

  @AnyUser()
  @DuringPasswordChange()
  @ApiBearerAuth()
  @Get('me')
  @ApiOperation({ summary: 'Who you are: roles and districts' })
  @ApiResult(Profile)
  me(@CurrentActor() actor: Actor): Promise<Profile> {
    return this.users.profile(actor.userId);
  }

  @AnyUser()
  @DuringPasswordChange()
  @ApiBearerAuth()
  @Post('password')
  @HttpCode(204)
  @ApiOperation({ summary: 'Change your password' })
  @ApiNoContent()
  async changePassword(@CurrentActor() actor: Actor, @Body() body: ChangePasswordDto): Promise<void> {
    await this.auth.changePassword(actor, body.currentPassword, body.newPassword);
  }
}
