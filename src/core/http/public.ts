import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'tsunagu:public';

/**
 * Says out loud that a route needs no login (login, refresh, health, docs).
 * It lives in core, not beside the other access decorators in access/, so
 * that core's own routes (health) need nothing above core; the access guard
 * reads it.
 */
export const Public = () => SetMetadata(IS_PUBLIC, true);
