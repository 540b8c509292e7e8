import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as ts from 'typescript';
import {
  AUDIT_ACTIONS,
  AUDIT_ENTITY_TYPES,
  CASE_ACTIONS,
  CASE_EVENT_KINDS,
  codeListsForApi,
  type CodeListName,
  NOTIFICATION_KINDS,
  PLAN_ACTIONS,
  REFERRAL_ACTIONS,
  REFERRAL_EVENT_ACTIONS,
  TASK_ORIGINS,
} from '../../src/codes/code-lists';

/**
 * Every code the code writes into a response field has a label in
 * `/code-lists` (issue 12). Two checks, both from the source itself:
 *
 * 1. The unions the write paths are typed with (NewNotification.kind,
 *    CaseEvent.kind and .action, Task.origin, AuditEntry.action and
 *    .entityType, the lifecycle tables' actions) are the tuples below; every
 *    code of each is served with a Japanese and an English label.
 * 2. Every string literal the code assigns to a `kind`, `origin`, `action`
 *    or `entityType` property anywhere in src/ (also both arms of a
 *    `cond ? 'a' : 'b'`) is a labelled code of a list that field may hold.
 *    This catches a write that goes around the types (raw SQL with a
 *    parameter, a cast, a new field typed `string`).
 */

const SRC = join(__dirname, '../../src');
const served = codeListsForApi();
const codesOf = (...lists: CodeListName[]) =>
  new Set(lists.flatMap((name) => served[name].flatMap((e) => [e.code, ...(e.children ?? []).map((c) => c.code)])));

describe('emitted codes have labels', () => {
  const emitted: [CodeListName, readonly string[]][] = [
    ['caseActions', CASE_ACTIONS],
    ['referralActions', REFERRAL_ACTIONS],
    ['referralEventActions', REFERRAL_EVENT_ACTIONS],
    ['planActions', PLAN_ACTIONS],
    ['caseEventKinds', CASE_EVENT_KINDS],
    ['taskOrigins', TASK_ORIGINS],
    ['notificationKinds', NOTIFICATION_KINDS],
    ['auditActions', AUDIT_ACTIONS],
    ['auditEntityTypes', AUDIT_ENTITY_TYPES],
  ];

  it.each(emitted)('%s: every code of the write path’s union is served with ja and en labels', (name, codes) => {
    const entries = new Map(served[name].map((e) => [e.code, e.label]));
    for (const code of codes) {
      const label = entries.get(code);
      expect({ code, ja: label?.ja.trim() || undefined, en: label?.en.trim() || undefined }).toEqual({
        code,
        ja: expect.any(String),
        en: expect.any(String),
      });
    }
    expect([...entries.keys()]).toEqual([...codes]);
  });

  /** Which lists a literal assigned to each field may come from. */
  const FIELDS: Record<string, Set<string>> = {
    kind: codesOf(
      'notificationKinds',
      'caseEventKinds',
      'taskKinds',
      'organizationKinds',
      'referralKinds',
      'conferenceKinds',
      'subjectKinds',
      'contactKinds',
    ),
    origin: codesOf('taskOrigins'),
    action: codesOf('caseActions', 'referralEventActions', 'planActions', 'auditActions'),
    entityType: codesOf('auditEntityTypes'),
  };

  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
      d.isDirectory() ? files(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : [],
    );

  /** The string literals an expression can evaluate to, through `as const`, parentheses and `?:`. */
  const literalsOf = (e: ts.Expression): string[] => {
    if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return [e.text];
    if (ts.isAsExpression(e) || ts.isParenthesizedExpression(e) || ts.isSatisfiesExpression(e))
      return literalsOf(e.expression);
    if (ts.isConditionalExpression(e)) return [...literalsOf(e.whenTrue), ...literalsOf(e.whenFalse)];
    return [];
  };

  const written = files(SRC).flatMap((file) => {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const found: { field: string; code: string; at: string }[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && node.name.text in FIELDS) {
        const at = `${relative(SRC, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
        for (const code of literalsOf(node.initializer)) found.push({ field: node.name.text, code, at });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
    return found;
  });

  it('finds the codes the source writes (the scan sees the write paths)', () => {
    const codes = (field: string) => new Set(written.filter((w) => w.field === field).map((w) => w.code));
    for (const code of ['plan_missing', 'task_fallback', 'abuse_reported', 'consultation_by_other', 'task_due'])
      expect(codes('kind').has(code)).toBe(true);
    expect(codes('origin').has('rule_48h')).toBe(true);
    expect(codes('action').has('approve_closure')).toBe(true);
    expect(codes('entityType').has('case')).toBe(true);
  });

  it('labels every literal code written to kind, origin, action or entityType', () => {
    const unlabelled = written.filter((w) => !FIELDS[w.field].has(w.code));
    expect(unlabelled).toEqual([]);
  });
});
