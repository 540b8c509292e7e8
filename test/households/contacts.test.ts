import { pino } from 'pino';
import { REDACT_PATHS } from '../../src/core/logging/logging.module';
import { openCase } from '../support/cases';
import { call, createWorld, TestUser, World } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/** Contact details and moves (issue 13, item 1): personal data, audited, never for staff. */
describe('contact details and address history', () => {
  let t: TestApp;
  let w: World;
  let caseA: string; // district A, counselorA's
  let subjectId: string;
  let motherId: string;
  let caseB: string; // district B

  beforeAll(async () => {
    t = await startTestApp();
    w = await createWorld(t);
    caseA = (await openCase(t, w.counselorA)).case.id;
    const detail = (await call(t, w.counselorA, { method: 'GET', url: `/api/v1/cases/${caseA}` })).json();
    subjectId = detail.subject.id;
    motherId = detail.household.members[0].id;
    caseB = (await openCase(t, w.counselorB, { household: { address: '北町1-1', members: [] } })).case.id;
  });
  afterAll(async () => t?.close());

  const add = (user: TestUser, caseId: string, payload: object) =>
    call(t, user, { method: 'POST', url: `/api/v1/cases/${caseId}/contacts`, payload });
  const get = (user: TestUser, caseId: string) =>
    call(t, user, { method: 'GET', url: `/api/v1/cases/${caseId}/contacts` });
  const count = async () => (await t.db.query(`SELECT count(*)::int AS n FROM contact_points`))[0].n as number;
  const mobile = {
    kind: 'phone',
    label: 'mobile',
    value: '０９０ー１２３４ー５６７８',
    note: '夜間不可。父に知られないように',
  };

  it("keeps the mother's mobile number with its note, and answers it to the case's counselor, audited", async () => {
    const res = await add(w.counselorA, caseA, { personId: motherId, ...mobile });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      personId: motherId,
      relationship: 'mother',
      kind: 'phone',
      label: 'mobile',
      value: '090-1234-5678', // full-width digits stored as the digits a phone dials
      note: '夜間不可。父に知られないように',
      createdBy: w.counselorA.id,
      createdByUser: { id: w.counselorA.id, displayName: `Test ${w.counselorA.username}` },
    });
    const email = await add(w.counselorA, caseA, {
      personId: subjectId,
      kind: 'email',
      label: 'other',
      value: 'hanako@example.jp',
    });
    expect(email.statusCode).toBe(201);
    expect(email.json().relationship).toBe('subject');

    const read = await get(w.counselorA, caseA);
    expect(read.statusCode).toBe(200);
    expect(read.json().contacts.map((c: { value: string }) => c.value)).toEqual(['090-1234-5678', 'hanako@example.jp']);
    expect(read.json().addresses).toEqual([
      expect.objectContaining({ address: '岡山市中央一丁目1-1', change: 'intake', movedOn: null }),
    ]);
    const audit = await t.db.query(
      `SELECT action, entity_type, summary FROM audit_events WHERE entity_id = $1 AND entity_type = 'contact_details'`,
      [caseA],
    );
    expect(audit).toEqual([{ action: 'read', entity_type: 'contact_details', summary: { contacts: 2, addresses: 1 } }]);
    // The audit log holds what was done, never the number itself.
    const written = await t.db.query(`SELECT summary::text AS s FROM audit_events WHERE entity_type = 'contact_point'`);
    expect(written).toHaveLength(2);
    for (const row of written as { s: string }[]) expect(row.s).not.toMatch(/090|example\.jp|夜間/);
  });

  it('a supervisor of the district reads them; a counselor of the district reads but may not change them', async () => {
    expect((await get(w.supervisorA, caseA)).statusCode).toBe(200);
    expect((await get(w.leadA, caseA)).statusCode).toBe(200);
    expect((await add(w.leadA, caseA, { personId: motherId, ...mobile })).statusCode).toBe(403);
    expect((await add(w.supervisorA, caseA, { personId: motherId, ...mobile, note: undefined })).statusCode).toBe(201);
  });

  it('never goes to staff or admins (403), and is not found out of scope (404)', async () => {
    const before = await count();
    for (const user of [w.staff, w.admin]) {
      expect((await get(user, caseA)).statusCode).toBe(403);
      expect((await add(user, caseA, { personId: motherId, ...mobile })).statusCode).toBe(403);
    }
    for (const user of [w.counselorB, w.supervisorB]) {
      expect((await get(user, caseA)).statusCode).toBe(404);
      expect((await add(user, caseA, { personId: motherId, ...mobile })).statusCode).toBe(404);
    }
    expect((await get(w.counselorA, caseB)).statusCode).toBe(404);
    expect(await count()).toBe(before);
  });

  it('refuses bad input with a 400 naming the field, and changes nothing', async () => {
    const before = await count();
    const bad: [object, string][] = [
      [{ personId: motherId, kind: 'phone', label: 'mobile', value: 'call me' }, 'value'],
      [{ personId: motherId, kind: 'email', label: 'home', value: '090-1234-5678' }, 'value'],
      [{ personId: motherId, kind: 'fax', label: 'home', value: '086-000-0000' }, 'kind'],
      [{ personId: motherId, kind: 'phone', label: 'cell', value: '086-000-0000' }, 'label'],
      [{ personId: motherId, kind: 'phone', label: 'home', value: '086-000-0000', note: 'x'.repeat(501) }, 'note'],
      [{ personId: 'not-a-uuid', kind: 'phone', label: 'home', value: '086-000-0000' }, 'personId'],
      [{ personId: motherId, kind: 'phone', label: 'home', value: '086-000-0000', extra: 1 }, 'extra'],
      // A person of another household: not on this record.
      [
        {
          personId: subjectId.replace(/.$/, (d) => (d === '0' ? '1' : '0')),
          kind: 'phone',
          label: 'home',
          value: '086-000-0000',
        },
        'personId',
      ],
    ];
    for (const [payload, field] of bad) {
      const res = await add(w.counselorA, caseA, payload);
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const [other] = await t.db.query(`SELECT subject_id AS id FROM cases WHERE id = $1`, [caseB]);
    const res = await add(w.counselorA, caseA, {
      personId: other.id,
      kind: 'phone',
      label: 'home',
      value: '086-000-0000',
    });
    expect(res.statusCode).toBe(400);
    expect(await count()).toBe(before);
  });

  it('removes a contact point from use but keeps the row; removing it again is a 404', async () => {
    const created = (
      await add(w.counselorA, caseA, { personId: motherId, kind: 'phone', label: 'work', value: '086-111-2222' })
    ).json();
    const del = () => call(t, w.counselorA, { method: 'DELETE', url: `/api/v1/cases/${caseA}/contacts/${created.id}` });
    expect(
      (await call(t, w.leadA, { method: 'DELETE', url: `/api/v1/cases/${caseA}/contacts/${created.id}` })).statusCode,
    ).toBe(403);
    expect(
      (await call(t, w.counselorA, { method: 'DELETE', url: `/api/v1/cases/${caseB}/contacts/${created.id}` }))
        .statusCode,
    ).toBe(404);
    expect((await del()).statusCode).toBe(204);
    expect((await get(w.counselorA, caseA)).json().contacts.map((c: { id: string }) => c.id)).not.toContain(created.id);
    const [kept] = await t.db.query(`SELECT value, removed_by AS "removedBy" FROM contact_points WHERE id = $1`, [
      created.id,
    ]);
    expect(kept).toEqual({ value: '086-111-2222', removedBy: w.counselorA.id });
    expect((await del()).statusCode).toBe(404);
  });

  it('records a move: the new address is current, the old kept, and the district it now lies in suggested', async () => {
    const move = (user: TestUser, payload: object) =>
      call(t, user, { method: 'POST', url: `/api/v1/cases/${caseA}/moves`, payload });
    for (const payload of [
      { address: '北町2-3' },
      { address: '北町2-3', movedOn: '2026-02-30' },
      { address: '', movedOn: '2026-10-01' },
      { address: '北町2-3', movedOn: '2099-01-01' },
    ]) {
      expect((await move(w.counselorA, payload)).statusCode).toBe(400);
    }
    expect((await move(w.staff, { address: '北町2-3', movedOn: '2026-10-01' })).statusCode).toBe(403);
    expect((await move(w.counselorB, { address: '北町2-3', movedOn: '2026-10-01' })).statusCode).toBe(404);
    const res = await move(w.counselorA, { address: '北町2-3', movedOn: '2026-10-01' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      address: {
        address: '北町2-3',
        change: 'move',
        movedOn: '2026-10-01',
        recordedBy: w.counselorA.id,
        recordedByUser: { id: w.counselorA.id, displayName: `Test ${w.counselorA.username}` },
      },
      suggestedDistrictId: w.districtB,
      districtId: w.districtA,
      districtChanged: true,
    });
    const detail = (await call(t, w.counselorA, { method: 'GET', url: `/api/v1/cases/${caseA}` })).json();
    expect(detail.household.address).toBe('北町2-3');
    expect(detail.districtId).toBe(w.districtA); // moving the case is the supervisor's decision
    const events = (await call(t, w.counselorA, { method: 'GET', url: `/api/v1/cases/${caseA}/events` })).json().items;
    expect(events).toContainEqual(
      expect.objectContaining({ kind: 'moved', details: expect.objectContaining({ districtChanged: true }) }),
    );

    // A correction through PATCH is history too, told apart from a move.
    const patched = await call(t, w.counselorA, {
      method: 'PATCH',
      url: `/api/v1/cases/${caseA}`,
      headers: { 'if-match': `"${detail.version}"` },
      payload: { address: '北町2-4' },
    });
    expect(patched.statusCode).toBe(200);
    const addresses = (await get(w.counselorA, caseA)).json().addresses;
    expect(addresses.map((a: { address: string; change: string }) => [a.change, a.address])).toEqual([
      ['correction', '北町2-4'],
      ['move', '北町2-3'],
      ['intake', '岡山市中央一丁目1-1'],
    ]);
  });

  it('is in the OpenAPI document with typed answers', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/docs-json' })).json();
    const schemaOf = (path: string, method: string, status: string) =>
      doc.paths[path][method].responses[status].content['application/json'].schema.$ref.split('/').pop();
    expect(schemaOf('/api/v1/cases/{id}/contacts', 'get', '200')).toBe('ContactDetailsResponse');
    expect(schemaOf('/api/v1/cases/{id}/contacts', 'post', '201')).toBe('ContactPointResponse');
    expect(schemaOf('/api/v1/cases/{id}/moves', 'post', '201')).toBe('MoveResponse');
    expect(doc.paths['/api/v1/cases/{id}/contacts/{contactId}'].delete.responses['204']).toBeDefined();
  });
});

describe('contact details in logs', () => {
  it('are redacted by the logger, whether logged alone or as lists', () => {
    const lines: string[] = [];
    const logger = pino(
      { redact: { paths: REDACT_PATHS, censor: '[redacted]' } },
      {
        write: (line: string) => lines.push(line),
      },
    );
    logger.info({ contact: { value: '090-1234-5678', note: '夜間不可' }, contacts: [{ value: '090-1234-5678' }] });
    logger.info({ move: { addresses: [{ address: '北町2-3' }] } });
    expect(lines.join('')).not.toMatch(/090|夜間|北町/);
  });
});
