import { Identity1795400000000 } from './1795400000000-Identity';

/** Every migration, in order. test/core/migrations.test.ts checks none is missing. */
export const MIGRATIONS: Function[] = [Identity1795400000000];
