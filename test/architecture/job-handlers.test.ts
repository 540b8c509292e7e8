import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

/**
 * Job handlers live in files named `*.jobs.ts` (issue 9), so "what runs when
 * job X is due" is found by file name as well as by `@JobHandler(JobName.X)`,
 * and a service file never hides a queue entry point.
 */
const SRC = resolve(__dirname, '../../src');
function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('job handler files', () => {
  const sources = files(SRC).map((f) => ({ path: relative(SRC, f), text: readFileSync(f, 'utf8') }));
  const handling = sources.filter((f) => /@JobHandler\(/.test(f.text));

  it('declares every @JobHandler in a *.jobs.ts file', () => {
    expect(handling.length).toBeGreaterThan(0);
    expect(handling.map((f) => f.path).filter((p) => !p.endsWith('.jobs.ts'))).toEqual([]);
  });

  it('keeps *.jobs.ts for handlers: each such file declares one', () => {
    const named = sources.filter((f) => f.path.endsWith('.jobs.ts'));
    expect(named.filter((f) => !/@JobHandler\(/.test(f.text)).map((f) => f.path)).toEqual([]);
  });
});
