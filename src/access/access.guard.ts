import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { DomainError } from '../core/errors/domain-error';
import { IS_PUBLIC } from '../core/http/public';
import { DURING_PASSWORD_CHANGE, REQUIRES, RouteAccess } from './decorators';
import { Actor, roleAllows } from './policy';

/**
 * The global guard: deny by default (access.md). A route passes only if it is
 * @Public(), or the caller is authenticated (JWT) and the route's declared
 * permission is held by one of the caller's roles. A route that declares
 * nothing is refused, whoever calls it.
 */
@Injectable()
export class AccessGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    await super.canActivate(context);
    const actor = context.switchToHttp().getRequest<{ user: Actor }>().user;

    const access = this.reflector.getAllAndOverride<RouteAccess | undefined>(REQUIRES, targets);
    if (!access) throw DomainError.forbidden('This route declares no access rule');
    if (actor.mustChangePassword && !this.reflector.getAllAndOverride<boolean>(DURING_PASSWORD_CHANGE, targets)) {
      throw new DomainError(
        'password_change_required',
        'Change the initial password first (POST /api/v1/auth/password)',
      );
    }
    if ('anyUser' in access) return true;
    if (!access.permissions.some((p) => roleAllows(actor, p))) throw DomainError.forbidden();
    return true;
  }

  /**
   * passport reports a bad or stale token as "no user", and anything that
   * went wrong while checking it (PostgreSQL away, the pool exhausted) as an
   * error: that error keeps its own status (503), never 401, or clients
   * would log their users out during an outage.
   */
  override handleRequest<T>(err: unknown, user: T): T {
    if (err) throw err;
    if (!user) throw new DomainError('unauthenticated', 'A valid access token is required');
    return user;
  }
}
