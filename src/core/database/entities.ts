/**
 * Every entity, listed once: explicit beats a file glob (it works the same in
 * the build, the CLI and the tests, and a forgotten entity fails loudly).
 */
export const ENTITIES: Function[] = [];
