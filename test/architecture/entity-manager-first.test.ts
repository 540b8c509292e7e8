import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import * as ts from 'typescript';

/**
 * Issue 9: a function that works in the caller's transaction takes the
 * entity manager as its first argument, and requires it. A manager passed
 * elsewhere in the list is easy to pass wrongly; a default
 * (`m = this.db.manager`) runs outside the transaction when it is forgotten.
 */
const SRC = resolve(__dirname, '../../src');
function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function misplacedManagers(path: string): string[] {
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node)) {
      node.parameters.forEach((p, i) => {
        // A callback's own parameters are checked where the callback type is declared.
        if (!p.type || ts.isFunctionTypeNode(p.type) || !/\bEntityManager\b/.test(p.type.getText(source))) return;
        if (i !== 0 || p.questionToken || p.initializer) {
          const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
          found.push(`${relative(SRC, path)}:${line} ${p.getText(source)}`);
        }
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('the entity manager', () => {
  it('is the first, required argument of every function that takes one', () => {
    expect(files(SRC).flatMap(misplacedManagers)).toEqual([]);
  });
});
