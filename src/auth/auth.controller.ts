import { Body, Controller, Get, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiNoContent, ApiProblems, ApiResult } from '../core/http/openapi';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AnyUser, CurrentActor, DuringPasswordChange } from '../access/decorators';
import { Public } from '../core/http/public';
import type { Actor } from '../access/policy';
import { originOf } from '../core/http/request-origin';
import { Profile, UsersService } from '../directory/users.service';
import { AuthService } from './auth.service';
import { AppConfig } from '../core/config/app-config';
import { DomainError } from '../core/errors/domain-error';
import { assertSameOrigin, clearRefreshCookie, refreshCookieOf, setRefreshCookie } from './browser-session';
import { ChangePasswordDto, LoginDto, LoginResult, RefreshDto, SessionTokens } from './dto/auth.dto';
import { LoginGuard } from './login.guard';
import type { TokenPair } from './token.service';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
    private readonly config: AppConfig,
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
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LoginResult> {
    const { user, tokens } = request.user;
    const profile = await this.users.profile(user.id);
    if ((request.body as LoginDto).session !== 'cookie') return { ...tokens, user: profile };
    setRefreshCookie(reply, tokens.refreshToken);
    return { accessToken: tokens.accessToken, expiresIn: tokens.expiresIn, user: profile };
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @UseGuards(ThrottlerGuard)
  @ApiOperation({ summary: 'Trade a refresh token for a new token pair' })
  @ApiResult(SessionTokens)
  @ApiProblems(400, 401, 403, 429)
  async refresh(
    @Body() body: RefreshDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SessionTokens> {
    if (body.refreshToken !== undefined) return this.auth.refresh(body.refreshToken, originOf(request));
    // Neither a token nor a session cookie: the bearer flow's missing field.
    if (request.headers.cookie === undefined || !/(^|;\s*)tsunagu_refresh=/.test(request.headers.cookie)) {
      throw DomainError.validation([{ field: 'refreshToken', code: 'required', message: 'refreshToken is required' }]);
    }
    // The console's session: the token comes from the cookie, and only from a page of this site.
    assertSameOrigin(request, this.config.CORS_ORIGINS);
    const cookie = refreshCookieOf(request);
    if (!cookie) {
      clearRefreshCookie(reply);
      throw new DomainError('unauthenticated', 'No session');
    }
    try {
      const tokens = await this.auth.refresh(cookie, originOf(request));
      setRefreshCookie(reply, tokens.refreshToken);
      return { accessToken: tokens.accessToken, expiresIn: tokens.expiresIn };
    } catch (error) {
      clearRefreshCookie(reply);
      throw error;
    }
  }

  @AnyUser()
  @DuringPasswordChange()
  @ApiBearerAuth()
  @Post('logout')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a refresh token' })
  @ApiNoContent()
  async logout(
    @CurrentActor() actor: Actor,
    @Body() body: RefreshDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    const token = body.refreshToken ?? refreshCookieOf(request);
    clearRefreshCookie(reply);
    if (token) await this.auth.logout(actor, token);
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
