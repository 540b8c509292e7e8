import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Permission } from './matrix';
import type { Actor } from './policy';

export const REQUIRES = 'tsunagu:requires';
export const DURING_PASSWORD_CHANGE = 'tsunagu:during-password-change';

/**
 * Every route says who may call it; the guard refuses one that says nothing
 * (style.md): @Allow(...), @AnyUser(), or @Public() from core/http/public.ts.
 */
export type RouteAccess = { permissions: Permission[] } | { anyUser: true };

/** The caller's roles must hold at least one of these permissions (else 403). */
export const Allow = (...permissions: Permission[]) => SetMetadata(REQUIRES, { permissions } satisfies RouteAccess);

/** Any logged-in user (their own profile, their own notifications). */
export const AnyUser = () => SetMetadata(REQUIRES, { anyUser: true } satisfies RouteAccess);

/** Reachable while the user still has to change the initial password. */
export const DuringPasswordChange = () => SetMetadata(DURING_PASSWORD_CHANGE, true);

/** The authenticated caller, set by the access guard. */
export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const request = ctx.switchToHttp().getRequest<{ user?: Actor }>();
  if (!request.user) throw new Error('CurrentActor used on a route without an authenticated actor');
  return request.user;
});
