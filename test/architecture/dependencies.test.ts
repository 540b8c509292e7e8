import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';

/**
 * The folders of src/ in layers (ARCHITECTURE.md): a folder imports only from
 * folders of a lower layer, never sideways or up, so the dependency graph has
 * no cycle and "who may call whom" is read here. A new folder must be placed
 * in this list before its first import passes.
 */
const LAYERS: string[][] = [
  ['codes'],
  ['core'],
  ['access'],
  ['audit'],
  ['directory', 'notifications', 'lifecycle'],
  ['auth'],
  ['cases'],
  ['tasks', 'households'],
  ['referrals', 'plans'],
  ['record'],
  ['stats'],
  ['demo'],
];

/**
 * The one place core names the modules above it: TypeORM's list of entity
 * classes, which the application and the migration CLI share (like
 * migrations/index.ts, a composition root rather than a dependency).
 */
const ALLOWED = new Set(['core/database/entities.ts']);

const SRC = resolve(__dirname, '../../src');
const rank = new Map(LAYERS.flatMap((layer, i) => layer.map((folder) => [folder, i] as const)));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const folderOf = (path: string) => relative(SRC, path).split('/')[0];

describe('module dependencies', () => {
  const sources = files(SRC).filter((f) => relative(SRC, f).includes('/'));

  it('places every folder of src/ in a layer', () => {
    const unplaced = [...new Set(sources.map(folderOf))].filter((f) => !rank.has(f));
    expect(unplaced).toEqual([]);
  });

  it('imports only from lower layers (no cycle, core and codes depend on nothing above them)', () => {
    const violations: string[] = [];
    for (const file of sources) {
      const from = folderOf(file);
      if (ALLOWED.has(relative(SRC, file))) continue;
      const text = readFileSync(file, 'utf8');
      for (const [, spec] of text.matchAll(/from '(\.[^']+)'/g)) {
        const target = resolve(dirname(file), spec);
        if (!target.startsWith(SRC + '/')) continue;
        const to = folderOf(target);
        if (to === from || !target.slice(SRC.length + 1).includes('/')) continue;
        if ((rank.get(to) ?? Infinity) >= (rank.get(from) ?? -1)) {
          violations.push(`${relative(SRC, file)} imports ${relative(SRC, target)}`);
        }
      }
    }
    expect(violations).toEqual([]);
  });
});
