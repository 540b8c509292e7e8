import { createConfig, lintFromString } from '@redocly/openapi-core';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import * as ts from 'typescript';
import { call, createUser } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

type Operation = {
  summary?: string;
  parameters?: { in: string; name: string; schema?: { format?: string } }[];
  responses: Record<string, { content?: Record<string, unknown>; headers?: Record<string, unknown> }>;
  security?: unknown[];
};
type Document = { paths: Record<string, Record<string, Operation>> };

const METHODS = ['get', 'put', 'post', 'patch', 'delete'];

function operations(doc: Document) {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((method) => ({ path, method, op: item[method] })),
  );
}

/**
 * The types a client generates from the document (openapi-typescript), and
 * for each operation whether its success answer is a real type: not missing,
 * not `unknown`, not an object without properties (`Record<string, never>`,
 * which lets a client read no field at all).
 */
function untypedSuccessResponses(types: string, doc: Document): string[] {
  const ops = operations(doc);
  const probe = [
    "import type { paths } from './api';",
    "type Body<R> = R extends { content: { 'application/json': infer B } } ? B : never;",
    'type Typed<B> = [B] extends [never] ? false : unknown extends B ? false : B extends readonly unknown[] ? true',
    '  : keyof B extends never ? false : string extends keyof B ? false : true;',
    ...ops.map(({ path, method, op }, i) => {
      const status = Object.keys(op.responses).find((s) => s.startsWith('2'));
      const content = Object.keys(op.responses[status ?? '200']?.content ?? {});
      // No content (204), or a file (text/csv) rather than JSON: nothing for a client type to read.
      if (status === '204' || (content.length > 0 && !content.includes('application/json'))) {
        return `export const ok${i} = true;`;
      }
      return `export const ok${i}: Typed<Body<paths[${JSON.stringify(path)}]['${method}']['responses'][${status ?? 200}]>> = true;`;
    }),
  ].join('\n');
  const dir = mkdtempSync(join(tmpdir(), 'tsunagu-client-'));
  try {
    writeFileSync(join(dir, 'api.ts'), types);
    writeFileSync(join(dir, 'probe.ts'), probe);
    const program = ts.createProgram([join(dir, 'probe.ts')], { strict: true, noEmit: true, skipLibCheck: true });
    const source = program.getSourceFile(join(dir, 'probe.ts'))!;
    return ts.getPreEmitDiagnostics(program, source).map((d) => {
      const line = d.start === undefined ? -1 : source.getLineAndCharacterOfPosition(d.start).line;
      const op = ops[line - 4];
      return op ? `${op.method.toUpperCase()} ${op.path}` : ts.flattenDiagnosticMessageText(d.messageText, '\n');
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the OpenAPI document (api.md: the full truth)', () => {
  let t: TestApp;
  let doc: Document;
  beforeAll(async () => {
    t = await startTestApp();
    doc = (await t.app.inject({ method: 'GET', url: '/docs-json' })).json();
  });
  afterAll(async () => t?.close());

  it('gives every operation a typed success answer in a generated TypeScript client', async () => {
    const types = astToString(await openapiTS(doc as never));
    expect(untypedSuccessResponses(types, doc)).toEqual([]);
  }, 60_000);

  it('passes the Redocly recommended rules without an error', async () => {
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lintFromString({ source: JSON.stringify(doc), absoluteRef: 'openapi.json', config });
    const errors = problems
      .filter((p) => p.severity === 'error')
      .map((p) => `${p.ruleId}: ${p.message} (${p.location[0]?.pointer ?? ''})`);
    expect(errors).toEqual([]);
  });

  it('documents errors, summaries, ids and logins on every operation', () => {
    for (const { path, method, op } of operations(doc)) {
      const where = `${method.toUpperCase()} ${path}`;
      expect({ where, summary: op.summary }).toEqual({ where, summary: expect.any(String) });
      const problems = Object.entries(op.responses).filter(([s]) => /^[45]/.test(s));
      expect({ where, problems: problems.length > 0 }).toEqual({ where, problems: true });
      for (const [, response] of problems) {
        expect(response.content).toEqual({
          'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
        });
      }
      for (const p of op.parameters ?? []) {
        // Every id is a UUID (api.md); a service code is not an id.
        if (p.in === 'path' && (p.name === 'id' || p.name.endsWith('Id')))
          expect({ where, p: p.name, format: p.schema?.format }).toEqual({ where, p: p.name, format: 'uuid' });
      }
      // Either a bearer token or explicitly none.
      expect(Array.isArray(op.security)).toBe(true);
    }
  });

  it('names the staff beside their ids (issue 13): a UserRef beside each id of a user, the id kept', () => {
    const { schemas } = (doc as unknown as { components: { schemas: Record<string, { properties: object }> } })
      .components;
    // [schema, the id field, the field naming it]
    const named: [string, string, string][] = [
      ['CaseDetail', 'primaryCounselorId', 'primaryCounselor'],
      ['CaseDetail', 'coCounselorIds', 'coCounselors'],
      ['CaseListItem', 'primaryCounselorId', 'primaryCounselor'],
      ['ConsultationView', 'counselorId', 'counselor'],
      ['CaseEventView', 'actorId', 'actor'],
      ['TaskView', 'assigneeId', 'assignee'],
      ['TaskView', 'createdBy', 'createdByUser'],
      ['TaskView', 'closedBy', 'closedByUser'],
      ['ConferenceView', 'attendeeUserIds', 'attendees'],
      ['ReferralView', 'createdBy', 'createdByUser'],
    ];
    for (const [schema, idField, field] of named) {
      const properties = schemas[schema]?.properties as Record<string, unknown> | undefined;
      const where = `${schema}.${field}`;
      expect({ where, id: properties?.[idField] !== undefined }).toEqual({ where, id: true });
      expect({ where, ref: JSON.stringify(properties?.[field] ?? null) }).toEqual({
        where,
        ref: expect.stringContaining('"#/components/schemas/UserRef"'),
      });
    }
  });

  it('marks login, refresh and health public, and everything else behind a bearer token', () => {
    const publicOps = operations(doc)
      .filter(({ op }) => op.security?.length === 0)
      .map(({ path, method }) => `${method.toUpperCase()} ${path}`)
      .sort();
    expect(publicOps).toEqual([
      'GET /health/live',
      'GET /health/ready',
      'POST /api/v1/auth/login',
      'POST /api/v1/auth/refresh',
    ]);
  });

  it('documents If-Match, 409 and 428 on versioned writes, and the ETag of versioned reads', () => {
    const patch = doc.paths['/api/v1/cases/{id}'].patch;
    expect(patch.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ in: 'header', name: 'If-Match' })]),
    );
    expect(Object.keys(patch.responses)).toEqual(expect.arrayContaining(['409', '428']));
    expect(doc.paths['/api/v1/cases/{id}'].get.responses['200'].headers).toHaveProperty('ETag');
    const intake = doc.paths['/api/v1/intakes'].post;
    expect(intake.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ in: 'header', name: 'Idempotency-Key' })]),
    );
    expect(Object.keys(intake.responses)).toEqual(expect.arrayContaining(['201', '409', '422']));
  });

  it('sends the version of a versioned record as its ETag, the value If-Match takes', async () => {
    const admin = await createUser(t, 'etag-admin', ['admin']);
    const read = await call(t, admin, { method: 'GET', url: `/api/v1/users/${admin.id}` });
    expect(read.headers.etag).toBe(`"${read.json().version}"`);
    const edit = await call(t, admin, {
      method: 'PATCH',
      url: `/api/v1/users/${admin.id}`,
      headers: { 'if-match': String(read.headers.etag) },
      payload: { displayName: 'Renamed' },
    });
    expect(edit.statusCode).toBe(200);
    expect(edit.headers.etag).toBe(`"${read.json().version + 1}"`);
  });

  it('gives each field error a rule code and its bounds, beside the English message', async () => {
    const admin = await createUser(t, 'codes-admin', ['admin']);
    const res = await call(t, admin, {
      method: 'POST',
      url: '/api/v1/districts',
      payload: { code: 'd1', name: 'x'.repeat(500), areas: [], color: 'red' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual(
      expect.arrayContaining([
        { field: 'color', code: 'unknown_field', message: 'unknown field' },
        expect.objectContaining({ field: 'name', code: 'max_length', params: { max: 100 } }),
      ]),
    );
  });
});
