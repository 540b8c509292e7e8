import { openCase, setCase } from '../support/cases';
import { call, createUser, createWorld, TestUser, World } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * The case rows of access.md's matrix, over HTTP: each role, in and out of
 * district, confidential, 403 (role never may) versus 404 (out of scope).
 */
describe('case access (access.md)', () => {
  let t: TestApp;
  let w: World;
  let caseA: string; // district A, assigned to counselorA
  let caseAUnassigned: string; // district A, assigned to leadA only
  let confidentialA: string; // district A, confidential, assigned to leadA
  let caseB: string; // district B
  let referredA: string; // district A, with a referral
  let coCounselor: TestUser;

  beforeAll(async () => {
    t = await startTestApp();
    w = await createWorld(t);
    coCounselor = await createUser(t, 'co_counselor', ['counselor']);
    const open = async (values: Record<string, unknown>) => {
      const { case: c } = await openCase(t, w.supervisorA);
      await setCase(t, c.id, { status: 'active', ...values });
      return c.id;
    };
    caseA = await open({
      district_id: w.districtA,
      primary_counselor_id: w.counselorA.id,
      co_counselor_ids: [coCounselor.id],
    });
    caseAUnassigned = await open({ district_id: w.districtA, primary_counselor_id: w.leadA.id });
    confidentialA = await open({ district_id: w.districtA, primary_counselor_id: w.leadA.id, confidential: true });
    caseB = await open({ district_id: w.districtB, primary_counselor_id: w.counselorB.id });
    referredA = await open({ district_id: w.districtA, primary_counselor_id: w.leadA.id, has_referral: true });
  });
  afterAll(async () => t?.close());

  const get = (user: TestUser, id: string) => call(t, user, { method: 'GET', url: `/api/v1/cases/${id}` });
  const status = async (user: TestUser, id: string) => (await get(user, id)).statusCode;

  it('read: counselors see assigned cases and open cases of their districts', async () => {
    expect(await status(w.counselorA, caseA)).toBe(200);
    expect(await status(w.counselorA, caseAUnassigned)).toBe(200);
    expect(await status(w.counselorA, confidentialA)).toBe(404);
    expect(await status(w.counselorA, caseB)).toBe(404);
    // a co-counselor from no district sees the case they are assigned to, and nothing else
    expect(await status(coCounselor, caseA)).toBe(200);
    expect(await status(coCounselor, caseAUnassigned)).toBe(404);
    // assigned to a confidential case: visible
    expect(await status(w.leadA, confidentialA)).toBe(200);
  });

  it('read: supervisors see their overseen districts, confidential included', async () => {
    expect(await status(w.supervisorA, confidentialA)).toBe(200);
    expect(await status(w.supervisorA, caseB)).toBe(404);
    expect(await status(w.supervisorB, caseB)).toBe(200);
    expect(await status(w.supervisorB, caseA)).toBe(404);
  });

  it('read: staff see only the header, and only of cases with a referral; admins see nothing', async () => {
    const header = await get(w.staff, referredA);
    expect(header.statusCode).toBe(200);
    expect(Object.keys(header.json()).sort()).toEqual(['districtId', 'id', 'initials', 'number', 'status']);
    expect(header.json().initials).toMatch(/^.・.$/);
    expect(header.body).not.toMatch(/summary|household|familyName|address/);
    expect(await status(w.staff, caseA)).toBe(404);
    expect(await status(w.admin, caseA)).toBe(403);
    expect(
      (await call(t, w.staff, { method: 'GET', url: `/api/v1/cases/${referredA}/consultations` })).statusCode,
    ).toBe(403);
    expect((await call(t, w.admin, { method: 'GET', url: '/api/v1/cases' })).statusCode).toBe(403);
  });

  it('lists exactly the cases in scope, whatever the filters say', async () => {
    const ids = async (user: TestUser, query = '') =>
      (await call(t, user, { method: 'GET', url: `/api/v1/cases?limit=100${query}` }))
        .json()
        .items.map((c: { id: string }) => c.id);
    expect((await ids(w.counselorA)).sort()).toEqual([caseA, caseAUnassigned, referredA].sort());
    expect(await ids(w.counselorA, `&districtId=${w.districtB}`)).toEqual([]);
    expect((await ids(w.supervisorA)).sort()).toEqual([caseA, caseAUnassigned, confidentialA, referredA].sort());
    expect(await ids(w.staff)).toEqual([referredA]);
    const staffItem = (await call(t, w.staff, { method: 'GET', url: '/api/v1/cases' })).json().items[0];
    expect(Object.keys(staffItem).sort()).toEqual(['districtId', 'id', 'initials', 'number', 'status']);
    expect(await ids(coCounselor)).toEqual([caseA]);
    expect(await ids(w.supervisorA, `&counselorId=${w.counselorA.id}`)).toEqual([caseA]);
  });

  it('edit: assigned counselors and overseeing supervisors; a readable but unassigned case is a 403', async () => {
    const patch = async (user: TestUser, id: string, payload: object) => {
      const version = (await t.db.query('SELECT version FROM cases WHERE id = $1', [id]))[0].version;
      return call(t, user, {
        method: 'PATCH',
        url: `/api/v1/cases/${id}`,
        headers: { 'if-match': `"${version}"` },
        payload,
      });
    };
    expect((await patch(w.counselorA, caseA, { risk: 'medium' })).statusCode).toBe(200);
    expect((await patch(w.counselorA, caseAUnassigned, { risk: 'medium' })).statusCode).toBe(403);
    expect((await patch(w.counselorA, caseB, { risk: 'medium' })).statusCode).toBe(404);
    expect((await patch(w.supervisorA, caseAUnassigned, { risk: 'high' })).statusCode).toBe(200);
    expect((await patch(w.staff, referredA, { risk: 'high' })).statusCode).toBe(403);
    // confidential: supervisors only
    expect((await patch(w.counselorA, caseA, { confidential: true })).statusCode).toBe(403);
    const [row] = await t.db.query('SELECT confidential, risk FROM cases WHERE id = $1', [caseA]);
    expect(row).toEqual({ confidential: false, risk: 'medium' });
    expect((await patch(w.supervisorA, caseA, { confidential: true, youngCarer: true })).statusCode).toBe(200);
    expect(await status(w.counselorA, caseAUnassigned)).toBe(200);
    expect(await status(w.counselorA, caseA)).toBe(200); // still assigned
    await setCase(t, caseA, { confidential: false });
  });

  it('consultations: added by assigned counselors, read with the case, 404 out of scope', async () => {
    const body = {
      occurredAt: '2026-06-02T10:00:00+09:00',
      channel: 'home_visit',
      route: 'family',
      consultationType: 'parenting',
      durationMinutes: 45,
      summary: '家庭訪問。',
    };
    const added = await call(t, w.counselorA, {
      method: 'POST',
      url: `/api/v1/cases/${caseA}/consultations`,
      payload: body,
    });
    expect(added.statusCode).toBe(201);
    expect(
      (await call(t, w.counselorB, { method: 'POST', url: `/api/v1/cases/${caseA}/consultations`, payload: body }))
        .statusCode,
    ).toBe(404);
    expect(
      (
        await call(t, w.counselorA, {
          method: 'POST',
          url: `/api/v1/cases/${caseAUnassigned}/consultations`,
          payload: body,
        })
      ).statusCode,
    ).toBe(403);
    const id = added.json().id;
    expect((await call(t, w.counselorB, { method: 'GET', url: `/api/v1/consultations/${id}` })).statusCode).toBe(404);
    expect((await call(t, w.staff, { method: 'GET', url: `/api/v1/consultations/${id}` })).statusCode).toBe(403);
    expect((await call(t, w.supervisorA, { method: 'GET', url: `/api/v1/consultations/${id}` })).statusCode).toBe(200);
    expect(
      (
        await call(t, w.counselorA, {
          method: 'POST',
          url: `/api/v1/cases/${caseA}/consultations`,
          payload: { ...body, durationMinutes: -1 },
        })
      ).statusCode,
    ).toBe(400);
  });

  it('audits every read of a case, including reads by list (one entry per list read, naming every id returned)', async () => {
    const readsOfB = async () =>
      (
        await t.db.query(
          `SELECT id, actor_id, entity_id, district_id, summary FROM audit_events
            WHERE action = 'read' AND entity_type = 'case' AND (entity_id = $1 OR summary->'ids' ? $1) ORDER BY id`,
          [caseB],
        )
      ).map((r: { id: string }) => ({ ...r, id: Number(r.id) })) as {
        id: number;
        actor_id: string;
        entity_id: string | null;
        district_id: string;
        summary: { via?: string; ids?: string[] };
      }[];
    const before = await readsOfB();
    const lastId = Number((await t.db.query(`SELECT coalesce(max(id), 0) AS n FROM audit_events`))[0].n);
    await get(w.supervisorB, caseB);
    const list = (await call(t, w.supervisorB, { method: 'GET', url: '/api/v1/cases' })).json();
    const rows = await readsOfB();
    expect(rows.length - before.length).toBe(2);
    expect(rows.at(-2)).toMatchObject({ actor_id: w.supervisorB.id, entity_id: caseB, district_id: w.districtB });
    // The list read is one entry, not one per case: it names every case the page returned, in order.
    expect(rows.at(-1)).toMatchObject({
      actor_id: w.supervisorB.id,
      entity_id: null,
      district_id: w.districtB,
      summary: { via: 'list', ids: list.items.map((c: { id: string }) => c.id) },
    });
    const listEntries = await t.db.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE id > $1 AND action = 'read' AND summary->>'via' = 'list'`,
      [lastId],
    );
    expect(listEntries[0].n).toBe(1);
    // and a supervisor finds both in the audit log of their district, by the case's id
    const log = (
      await call(t, w.supervisorB, { method: 'GET', url: `/api/v1/audit-events?entityType=case&entityId=${caseB}` })
    ).json();
    const ids = log.items.map((e: { id: number | string }) => Number(e.id));
    expect(ids).toEqual(expect.arrayContaining([rows.at(-1)!.id, rows.at(-2)!.id]));
  });
});

describe('assignment and concurrency', () => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await startTestApp();
    w = await createWorld(t);
  });
  afterAll(async () => t?.close());

  const assign = (user: TestUser, id: string, version: number, payload: object) =>
    call(t, user, {
      method: 'PUT',
      url: `/api/v1/cases/${id}/assignment`,
      headers: { 'if-match': `"${version}"` },
      payload,
    });

  it('assigns district and counselors: only a supervisor of both districts; the primary must be a member', async () => {
    const { case: c } = await openCase(t, w.counselorA);
    const toB = { districtId: w.districtB, primaryCounselorId: w.counselorB.id, coCounselorIds: [w.leadB.id] };
    expect((await assign(w.counselorA, c.id, c.version, toB)).statusCode).toBe(403);
    expect((await assign(w.staff, c.id, c.version, toB)).statusCode).toBe(403);
    expect((await assign(w.supervisorB, c.id, c.version, toB)).statusCode).toBe(404); // not theirs (yet)
    expect((await assign(w.supervisorA, c.id, c.version, toB)).statusCode).toBe(403); // does not oversee B
    const notMember = await assign(w.supervisorA, c.id, c.version, {
      districtId: w.districtA,
      primaryCounselorId: w.counselorB.id,
      coCounselorIds: [],
    });
    expect(notMember.statusCode).toBe(400);
    expect(notMember.json().errors).toEqual([
      { field: 'primaryCounselorId', code: 'not_district_member', message: 'must be a current member of the district' },
    ]);
    const ok = await assign(w.supervisorA, c.id, c.version, {
      districtId: w.districtA,
      primaryCounselorId: w.leadA.id,
      coCounselorIds: [w.counselorA.id],
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({
      districtId: w.districtA,
      primaryCounselorId: w.leadA.id,
      coCounselorIds: [w.counselorA.id],
      version: c.version + 1,
    });
    // An admin who oversees both may move it; history is in the events.
    await t.db.query(`INSERT INTO district_supervisors (district_id, user_id) VALUES ($1, $2)`, [
      w.districtB,
      w.supervisorA.id,
    ]);
    const moved = await assign(w.supervisorA, c.id, c.version + 1, toB);
    expect(moved.statusCode).toBe(200);
    const events = (await call(t, w.supervisorA, { method: 'GET', url: `/api/v1/cases/${c.id}/events` })).json().items;
    expect(events.filter((e: { kind: string }) => e.kind === 'assignment')).toHaveLength(2);
  });

  it('two supervisors assigning the same case at once: one 200, one 409', async () => {
    const { case: c } = await openCase(t, w.supervisorA);
    await setCase(t, c.id, { district_id: w.districtA });
    const body = (primary: string) => ({ districtId: w.districtA, primaryCounselorId: primary, coCounselorIds: [] });
    const other = await createUser(t, 'supervisor_a2', ['supervisor']);
    await t.db.query(`INSERT INTO district_supervisors (district_id, user_id) VALUES ($1, $2)`, [
      w.districtA,
      other.id,
    ]);
    const results = await Promise.all([
      assign(w.supervisorA, c.id, c.version, body(w.counselorA.id)),
      assign(other, c.id, c.version, body(w.leadA.id)),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect(results.find((r) => r.statusCode === 409)!.json().code).toBe('version_conflict');
  });

  it('two concurrent PATCHes with the same version: one 200, one 409', async () => {
    const { case: c } = await openCase(t, w.counselorA);
    const patch = (risk: string) =>
      call(t, w.counselorA, {
        method: 'PATCH',
        url: `/api/v1/cases/${c.id}`,
        headers: { 'if-match': `"${c.version}"` },
        payload: { risk },
      });
    const results = await Promise.all([patch('high'), patch('low')]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const stale = await patch('urgent');
    expect(stale.statusCode).toBe(409);
    expect(
      (await call(t, w.counselorA, { method: 'PATCH', url: `/api/v1/cases/${c.id}`, payload: { risk: 'low' } }))
        .statusCode,
    ).toBe(428);
  });

  it('edits the subject and household, refusing bad input without changing anything', async () => {
    const { case: c } = await openCase(t, w.counselorA);
    const patch = (payload: object, version = c.version) =>
      call(t, w.counselorA, {
        method: 'PATCH',
        url: `/api/v1/cases/${c.id}`,
        headers: { 'if-match': `"${version}"` },
        payload,
      });
    expect((await patch({ subject: { birthDate: '2026-02-30' } })).statusCode).toBe(400);
    expect((await patch({ protection: 'very_protected' })).statusCode).toBe(400);
    expect((await patch({ subject: { nickname: 'x' } })).statusCode).toBe(400);
    const [row] = await t.db.query('SELECT version FROM cases WHERE id = $1', [c.id]);
    expect(row.version).toBe(c.version);
    const ok = await patch({
      subject: { school: '北中学校', givenNameKana: 'ハナ' },
      address: '北町 1-1',
      protection: 'support_needed',
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({
      protection: 'support_needed',
      subject: { school: '北中学校' },
      household: { address: '北町 1-1' },
    });
    const found = (
      await call(t, w.counselorA, { method: 'GET', url: `/api/v1/cases?q=${encodeURIComponent('たなかはな')}` })
    ).json();
    expect(found.items.map((i: { id: string }) => i.id)).toContain(c.id);
  });

  it('searches by case number, kanji and kana prefix, and pages with a cursor', async () => {
    const made = [];
    for (let i = 0; i < 3; i += 1)
      made.push((await openCase(t, w.supervisorA, { subject: { familyName: '鈴木', familyNameKana: 'スズキ' } })).case);
    const q = async (text: string) =>
      (await call(t, w.supervisorA, { method: 'GET', url: `/api/v1/cases?limit=100&q=${encodeURIComponent(text)}` }))
        .json()
        .items.map((c: { id: string }) => c.id);
    expect(await q(made[0].number)).toEqual([made[0].id]);
    expect((await q('鈴木')).sort()).toEqual(made.map((c) => c.id).sort());
    expect((await q('すずき')).sort()).toEqual(made.map((c) => c.id).sort());
    expect((await q('ｽｽﾞｷ')).sort()).toEqual(made.map((c) => c.id).sort());
    expect(await q('%')).toEqual([]);
    const first = (await call(t, w.supervisorA, { method: 'GET', url: '/api/v1/cases?limit=2' })).json();
    const second = (
      await call(t, w.supervisorA, { method: 'GET', url: `/api/v1/cases?limit=2&cursor=${first.nextCursor}` })
    ).json();
    expect(first.items).toHaveLength(2);
    expect(second.items[0].id).not.toBe(first.items[1].id);
    expect((await call(t, w.supervisorA, { method: 'GET', url: '/api/v1/cases?status=open' })).statusCode).toBe(400);
  });
});
