/** Every migration, in order. test/core/migrations.test.ts checks none is missing. */
export const MIGRATIONS: Function[] = [];
