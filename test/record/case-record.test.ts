import { openCase, setCase } from '../support/cases';
import { call, createOrganization, createWorld, TestUser, World } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/** GET /cases/{id}/record: the whole child record in one read (issue 13, item 5). */
describe('the whole case record', () => {
  let t: TestApp;
  let w: World;
  let caseA: string; // district A, counselorA's, with a bit of everything
  let caseB: string; // district B
  let organization: string;

  beforeAll(async () => {
    t = await startTestApp();
    w = await createWorld(t);
    caseA = (await openCase(t, w.counselorA)).case.id;
    caseB = (await openCase(t, w.counselorB, { household: { address: '北町1-1', members: [] } })).case.id;
    await setCase(t, caseA, { status: 'active' });
    const detail = (await call(t, w.counselorA, { method: 'GET', url: `/api/v1/cases/${caseA}` })).json();
    const mother = detail.household.members[0].id;
    await call(t, w.counselorA, {
      method: 'POST',
      url: `/api/v1/cases/${caseA}/contacts`,
      payload: { personId: mother, kind: 'phone', label: 'mobile', value: '090-1234-5678', note: '夜間不可' },
    });
    for (const [day, summary] of [
      ['2026-06-03', '母へ電話。'],
      ['2026-06-10', '家庭訪問。'],
      ['2026-06-05', '学校と連絡。'],
    ]) {
      const res = await call(t, w.counselorA, {
        method: 'POST',
        url: `/api/v1/cases/${caseA}/consultations`,
        payload: {
          occurredAt: `${day}T10:00:00+09:00`,
          channel: 'phone',
          route: 'family',
          consultationType: 'school_refusal',
          durationMinutes: 20,
          summary,
        },
      });
      if (res.statusCode !== 201) throw new Error(res.body);
    }
    await call(t, w.counselorA, {
      method: 'POST',
      url: `/api/v1/cases/${caseA}/tasks`,
      payload: {
        kind: 'callback',
        title: '母へ電話連絡',
        dueAt: new Date(Date.now() + 86_400_000).toISOString(),
        assigneeId: w.counselorA.id,
        priority: 'normal',
      },
    });
    organization = await createOrganization(t, w.admin, { name: '中央小学校', type: 'school', councilMember: true });
    const conference = await call(t, w.supervisorA, {
      method: 'POST',
      url: `/api/v1/cases/${caseA}/conferences`,
      payload: {
        kind: 'case_review',
        heldAt: '2026-06-12T14:00:00+09:00',
        attendeeUserIds: [w.counselorA.id, w.supervisorA.id],
        attendeeOrganizationIds: [organization],
        decisions: '週1回の家庭訪問を継続する。',
      },
    });
    if (conference.statusCode !== 201) throw new Error(conference.body);
    const referral = await call(t, w.counselorA, {
      method: 'POST',
      url: '/api/v1/referrals',
      payload: {
        caseId: caseA,
        direction: 'outgoing',
        kind: 'information_request',
        organizationId: organization,
        reason: '登校状況の確認',
        urgency: 'routine',
        legalBasis: 'council_member',
        sharedInformation: '氏名と学年',
      },
    });
    if (referral.statusCode !== 201) throw new Error(referral.body);
  });
  afterAll(async () => t?.close());

  const read = (user: TestUser, caseId: string, query = '') =>
    call(t, user, { method: 'GET', url: `/api/v1/cases/${caseId}/record${query}` });

  it('answers the record as the form arranges it, with staff names beside their ids', async () => {
    const res = await read(w.counselorA, caseA);
    expect(res.statusCode).toBe(200);
    const record = res.json();
    const counselor = { id: w.counselorA.id, displayName: 'Test counselor_a' };
    expect(record.subject).toMatchObject({ familyName: '田中', kind: 'child', birthDate: '2018-05-10' });
    expect(record.household).toMatchObject({
      address: '岡山市中央一丁目1-1',
      members: [expect.objectContaining({ relationship: 'mother', givenName: '良子' })],
      addresses: [expect.objectContaining({ change: 'intake' })],
      contacts: [expect.objectContaining({ relationship: 'mother', value: '090-1234-5678', note: '夜間不可' })],
    });
    expect(record.case).toMatchObject({
      status: 'active',
      district: { id: w.districtA, code: 'district_a', name: 'district_a district' },
      primaryCounselor: counselor,
      coCounselors: [],
      protection: 'none',
      flags: { confidential: false, youngCarer: false, dvInvolved: false },
    });
    // The progress record (経過記録): every consultation, oldest first, whatever order they were entered in.
    expect(record.progressRecord.total).toBe(4);
    expect(record.progressRecord.nextCursor).toBeNull();
    expect(record.progressRecord.items.map((c: { summary: string }) => c.summary)).toEqual([
      '登校しぶりについて学校から相談。',
      '母へ電話。',
      '学校と連絡。',
      '家庭訪問。',
    ]);
    expect(record.progressRecord.items[1].counselor).toEqual(counselor);
    expect(record.tasks).toContainEqual(
      expect.objectContaining({ kind: 'callback', title: '母へ電話連絡', assignee: counselor, closedBy: null }),
    );
    expect(record.conferences).toEqual([
      expect.objectContaining({
        kind: 'case_review',
        decisions: '週1回の家庭訪問を継続する。',
        attendees: expect.arrayContaining([counselor, { id: w.supervisorA.id, displayName: 'Test supervisor_a' }]),
        attendeeOrganizations: [{ id: organization, name: '中央小学校' }],
      }),
    ]);
    expect(record.referrals).toEqual([
      expect.objectContaining({
        kind: 'information_request',
        organization: { id: organization, name: '中央小学校' },
        status: 'draft',
        createdBy: counselor,
      }),
    ]);
  });

  it('is audited as one read of the whole record', async () => {
    await read(w.supervisorA, caseA);
    const rows = await t.db.query(
      `SELECT actor_id AS "actorId", action, entity_id AS "entityId", district_id AS "districtId", summary
         FROM audit_events WHERE entity_type = 'case_record' AND actor_id = $1`,
      [w.supervisorA.id],
    );
    expect(rows).toEqual([
      {
        actorId: w.supervisorA.id,
        action: 'read',
        entityId: caseA,
        districtId: w.districtA,
        summary: { page: 'first', consultations: 4, contacts: 1, tasks: 1, conferences: 1, referrals: 1 },
      },
    ]);
  });

  it('pages the progress record, so a case with 500 consultations reads in bounded pieces', async () => {
    await t.db.query(
      `INSERT INTO consultations (case_id, occurred_at, duration_minutes, counselor_id, channel, route,
                                  consultation_type, summary, is_intake, after_hours)
       SELECT $1, timestamptz '2026-07-01T00:00:00Z' + make_interval(hours => g), 10, $2, 'phone', 'family',
              'school_refusal', repeat('経過', 2000), false, false
         FROM generate_series(1, 500) g`,
      [caseB, w.counselorB.id],
    );
    const first = (await read(w.counselorB, caseB)).json();
    expect(first.progressRecord.total).toBe(501);
    expect(first.progressRecord.items).toHaveLength(100);
    let cursor = first.progressRecord.nextCursor as string | null;
    const seen = first.progressRecord.items.map((c: { id: string }) => c.id);
    while (cursor) {
      const page = (await read(w.counselorB, caseB, `?limit=100&cursor=${cursor}`)).json();
      seen.push(...page.progressRecord.items.map((c: { id: string }) => c.id));
      cursor = page.progressRecord.nextCursor;
    }
    expect(seen).toHaveLength(501);
    expect(new Set(seen).size).toBe(501);
    const small = (await read(w.counselorB, caseB, '?limit=2')).json();
    expect(small.progressRecord.items).toHaveLength(2);
  });

  it('refuses a bad limit or cursor with a 400', async () => {
    for (const query of ['?limit=0', '?limit=101', '?limit=x', '?cursor=forged', '?cursor=WyJ4Il0']) {
      const res = await read(w.counselorA, caseA, query);
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    }
    expect((await call(t, w.counselorA, { method: 'GET', url: '/api/v1/cases/not-a-uuid/record' })).statusCode).toBe(
      400,
    );
  });

  it('is for those who read the case: staff and admins 403, out of scope 404, confidential to its assignees', async () => {
    for (const user of [w.staff, w.admin]) expect((await read(user, caseA)).statusCode).toBe(403);
    for (const user of [w.counselorB, w.supervisorB]) expect((await read(user, caseA)).statusCode).toBe(404);
    expect((await read(w.leadA, caseA)).statusCode).toBe(200);
    await setCase(t, caseA, { confidential: true });
    expect((await read(w.leadA, caseA)).statusCode).toBe(404);
    expect((await read(w.counselorA, caseA)).statusCode).toBe(200);
    expect((await read(w.supervisorA, caseA)).statusCode).toBe(200);
    await setCase(t, caseA, { confidential: false });
  });

  it('is in the OpenAPI document with a typed answer', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/docs-json' })).json();
    const ok = doc.paths['/api/v1/cases/{id}/record'].get.responses['200'];
    expect(ok.content['application/json'].schema.$ref).toMatch(/CaseRecordResponse$/);
    const schema = doc.components.schemas.CaseRecordResponse;
    expect(Object.keys(schema.properties).sort()).toEqual(
      ['case', 'conferences', 'household', 'progressRecord', 'readAt', 'referrals', 'subject', 'tasks'].sort(),
    );
  });
});
