import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'tsunagu:public';

/** Says out loud that a route needs no login (login, refresh, health, docs). */
export const Public = () => SetMetadata(IS_PUBLIC, true);
