import type { EntitySubscriberInterface } from 'typeorm';
import { intakeBody, openCase, setCase } from '../support/cases';
import { call, createOrganization, createUser, createWorld, addMember, TestUser, World } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Issue 13, item 3: tasks, case events, conferences, referrals, cases (their
 * counselors), consultations (who recorded them), contact details (who
 * added a contact point, who recorded an address), support plans (who
 * drafted, submitted, returned, approved and explained them) and service uses
 * (who recorded and cancelled them) name the staff they point at ({ id, displayName } beside each id), so a screen needs
 * no second call per row; a deactivated colleague is still named; and a list
 * reads the names of a whole page at once, not once per row.
 */
describe('names beside ids', () => {
  let t: TestApp;
  let w: World;
  let leaving: TestUser; // a counselor of district A who leaves the center
  let caseL: string; // opened by `leaving`, district A
  let organization: string;
  let taskId: string;
  let referralId: string;
  let planId: string; // caseL's first support plan, drafted by `leaving`
  let intake: { id: string; counselorId: string; counselor: unknown }; // caseL's first consultation, as intake answered it

  const planBody = (needs = '母の育児負担が大きい。') => ({
    needs,
    goals: [{ goal: '週3日登校する', targetDate: '2027-03-31' }],
    supports: [{ serviceCode: 'parent_child_class', role: '親子教室に月2回参加' }],
    nextReviewAt: new Date(Date.now() + 90 * 86_400_000).toISOString(),
  });
  const named = (user: TestUser) => ({ id: user.id, displayName: `Test ${user.username}` });
  const get = async (user: TestUser, url: string) => {
    const res = await call(t, user, { method: 'GET', url });
    expect(res.statusCode).toBe(200);
    return res.json();
  };

  /**
   * How many SQL statements `work` runs: the same for a page of one row and a
   * page of many means no query per row. The API process's outbox relay polls
   * meanwhile, in transactions of its own: its statements and transaction
   * control (which the request's answer does not change) are not counted.
   */
  async function statementsDuring(work: () => Promise<unknown>): Promise<number> {
    let statements = 0;
    const counter: EntitySubscriberInterface = {
      beforeQuery: ({ query }) => {
        if (/\boutbox\b/.test(query) || /^\s*(START TRANSACTION|COMMIT|ROLLBACK)\b/.test(query)) return;
        statements += 1;
      },
    };
    t.db.subscribers.push(counter);
    try {
      await work();
    } finally {
      t.db.subscribers.splice(t.db.subscribers.indexOf(counter), 1);
    }
    return statements;
  }

  async function createTask(by: TestUser, assignee: TestUser, title: string): Promise<string> {
    const res = await call(t, by, {
      method: 'POST',
      url: `/api/v1/cases/${caseL}/tasks`,
      payload: {
        kind: 'callback',
        title,
        dueAt: new Date(Date.now() + 86_400_000).toISOString(),
        assigneeId: assignee.id,
      },
    });
    expect(res.statusCode).toBe(201);
    return res.json().id as string;
  }

  async function createReferral(by: TestUser): Promise<string> {
    const res = await call(t, by, {
      method: 'POST',
      url: '/api/v1/referrals',
      payload: {
        caseId: caseL,
        direction: 'outgoing',
        kind: 'information_request',
        organizationId: organization,
        reason: '登校状況の確認',
        urgency: 'routine',
        legalBasis: 'council_member',
        sharedInformation: '氏名と学年',
      },
    });
    if (res.statusCode !== 201) throw new Error(res.body);
    return res.json().id as string;
  }

  beforeAll(async () => {
    t = await startTestApp();
    w = await createWorld(t);
    leaving = await createUser(t, 'leaving_a', ['counselor']);
    await addMember(t, w.districtA, leaving.id);
    organization = await createOrganization(t, w.admin, { name: '中央小学校', type: 'school', councilMember: true });
    const opened = await openCase(t, leaving);
    caseL = opened.case.id;
    intake = opened.consultation as typeof intake;
    await setCase(t, caseL, {
      status: 'active',
      primary_counselor_id: leaving.id,
      co_counselor_ids: [w.counselorA.id, w.leadA.id],
    });
    taskId = await createTask(leaving, w.counselorA, '母へ電話連絡');
    referralId = await createReferral(leaving);
    const conference = await call(t, w.supervisorA, {
      method: 'POST',
      url: `/api/v1/cases/${caseL}/conferences`,
      payload: {
        kind: 'case_review',
        heldAt: '2026-06-12T14:00:00+09:00',
        attendeeUserIds: [leaving.id, w.counselorA.id],
        attendeeOrganizationIds: [organization],
        decisions: '週1回の家庭訪問を継続する。',
      },
    });
    expect(conference.statusCode).toBe(201);
    expect(conference.json().attendees).toEqual([named(leaving), named(w.counselorA)]);
    const plan = await call(t, leaving, { method: 'POST', url: `/api/v1/cases/${caseL}/plans`, payload: planBody() });
    expect(plan.statusCode).toBe(201);
    planId = plan.json().id as string;
    const gone = await call(t, w.admin, { method: 'POST', url: `/api/v1/users/${leaving.id}/deactivate` });
    expect(gone.statusCode).toBe(200);
    // Eleven logins (argon2) and a dozen writes: more than the default 30 s when the machine is busy.
  }, 120_000);
  afterAll(async () => t?.close());

  it('a task names its assignee, its creator (deactivated since) and who closed it', async () => {
    const [listed] = (await get(w.counselorA, `/api/v1/tasks?caseId=${caseL}`)).items;
    expect(listed).toMatchObject({
      id: taskId,
      assigneeId: w.counselorA.id,
      assignee: named(w.counselorA),
      createdBy: leaving.id,
      createdByUser: named(leaving),
      closedBy: null,
      closedByUser: null,
    });
    expect(await get(w.counselorA, `/api/v1/tasks/${taskId}`)).toMatchObject({ createdByUser: named(leaving) });
    const done = await call(t, w.counselorA, { method: 'POST', url: `/api/v1/tasks/${taskId}/complete`, payload: {} });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({
      closedBy: w.counselorA.id,
      closedByUser: named(w.counselorA),
      createdByUser: named(leaving),
    });
  });

  it("a case's timeline names who acted, a deactivated user too; the system's own events name no one", async () => {
    const events = (await get(w.supervisorA, `/api/v1/cases/${caseL}/events`)).items as {
      kind: string;
      actorId: string | null;
      actor: unknown;
    }[];
    expect(events.find((e) => e.kind === 'opened')).toMatchObject({ actorId: leaving.id, actor: named(leaving) });
    for (const e of events)
      expect(e.actor).toEqual(e.actorId === null ? null : expect.objectContaining({ id: e.actorId }));
  });

  it('a conference names its attendees, in the order of their ids', async () => {
    const [conference] = (await get(w.counselorA, `/api/v1/cases/${caseL}/conferences`)).items;
    expect(conference.attendeeUserIds).toEqual([leaving.id, w.counselorA.id]);
    expect(conference.attendees).toEqual([named(leaving), named(w.counselorA)]);
  });

  it('a referral names its creator, in the list and in one read with its history', async () => {
    const [listed] = (await get(w.counselorA, `/api/v1/referrals?caseId=${caseL}`)).items;
    expect(listed).toMatchObject({ id: referralId, createdBy: leaving.id, createdByUser: named(leaving) });
    const one = await get(w.counselorA, `/api/v1/referrals/${referralId}`);
    expect(one.createdByUser).toEqual(named(leaving));
    expect(one.events[0]).toMatchObject({ action: 'created', actorId: leaving.id, actor: named(leaving) });
  });

  it('a case names its counselors (the primary one deactivated since), in one read and in the list', async () => {
    expect(await get(w.supervisorA, `/api/v1/cases/${caseL}`)).toMatchObject({
      primaryCounselorId: leaving.id,
      primaryCounselor: named(leaving),
      coCounselorIds: [w.counselorA.id, w.leadA.id],
      coCounselors: [named(w.counselorA), named(w.leadA)],
    });
    const listed = (await get(w.supervisorA, `/api/v1/cases?counselorId=${leaving.id}`)).items;
    expect(listed).toEqual([
      expect.objectContaining({ id: caseL, primaryCounselorId: leaving.id, primaryCounselor: named(leaving) }),
    ]);
    // A case no counselor holds yet (a supervisor took the call) names no one.
    const unassigned = (await openCase(t, w.supervisorA)).case;
    expect(unassigned).toMatchObject({ primaryCounselorId: null, primaryCounselor: null, coCounselors: [] });
  });

  it('a consultation names who recorded it: in the intake answer, the case, the list, one read and a new one', async () => {
    expect(intake).toMatchObject({ counselorId: leaving.id, counselor: named(leaving) });
    const detail = await get(w.counselorA, `/api/v1/cases/${caseL}`);
    expect(detail.recentConsultations).toEqual([
      expect.objectContaining({ id: intake.id, counselorId: leaving.id, counselor: named(leaving) }),
    ]);
    const added = await call(t, w.counselorA, {
      method: 'POST',
      url: `/api/v1/cases/${caseL}/consultations`,
      payload: { ...intakeBody().consultation, occurredAt: '2026-06-05T10:00:00+09:00', summary: '母から電話。' },
    });
    expect(added.statusCode).toBe(201);
    expect(added.json()).toMatchObject({ counselorId: w.counselorA.id, counselor: named(w.counselorA) });
    const listed = (await get(w.counselorA, `/api/v1/cases/${caseL}/consultations`)).items as { counselor: unknown }[];
    expect(listed.map((k) => k.counselor)).toEqual([named(w.counselorA), named(leaving)]);
    expect(await get(w.counselorA, `/api/v1/consultations/${intake.id}`)).toMatchObject({
      counselorId: leaving.id,
      counselor: named(leaving),
    });
  });

  it("names no counselor to staff: a case's header stays the header", async () => {
    const header = await call(t, w.staff, { method: 'GET', url: `/api/v1/cases/${caseL}` });
    expect(header.statusCode).toBe(200);
    expect(Object.keys(header.json()).sort()).toEqual(['districtId', 'id', 'initials', 'number', 'status']);
    const page = await call(t, w.staff, { method: 'GET', url: `/api/v1/cases` });
    expect(page.statusCode).toBe(200);
    for (const item of page.json().items) expect(item).not.toHaveProperty('primaryCounselor');
  });

  it('names no one outside the staff: a staff member reading a referral header sees only staff names', async () => {
    const one = await call(t, w.staff, { method: 'GET', url: `/api/v1/referrals/${referralId}` });
    expect(one.statusCode).toBe(200);
    const body = one.json();
    expect(body.createdByUser).toEqual(named(leaving));
    // The child is named by initials only, as before.
    expect(JSON.stringify(body)).not.toContain('花子');
  });

  it('reads the names of a whole list page at once: a page of many rows costs the statements a page of one does', async () => {
    const people = [w.counselorA, w.leadA, w.supervisorA];
    for (let i = 0; i < 5; i += 1) await createTask(w.supervisorA, people[i % people.length], `確認 ${i}`);
    await createReferral(w.counselorA);
    await createReferral(w.supervisorA);
    const tasksOf = (limit: number) => () => get(w.supervisorA, `/api/v1/tasks?caseId=${caseL}&limit=${limit}`);
    expect((await tasksOf(6)()).items).toHaveLength(6);
    expect(await statementsDuring(tasksOf(6))).toBe(await statementsDuring(tasksOf(1)));
    const referralsOf = (limit: number) => () => get(w.supervisorA, `/api/v1/referrals?caseId=${caseL}&limit=${limit}`);
    expect((await referralsOf(3)()).items).toHaveLength(3);
    expect(await statementsDuring(referralsOf(3))).toBe(await statementsDuring(referralsOf(1)));
  });

  it('reads the names of a whole timeline, and of all conferences, at once', async () => {
    const small = (await openCase(t, w.counselorA)).case.id;
    for (const [by, risk] of [
      [w.supervisorA, 'low'],
      [w.counselorA, 'medium'],
      [w.leadA, 'high'],
    ] as const) {
      const { version } = await get(w.supervisorA, `/api/v1/cases/${caseL}`);
      const res = await call(t, by, {
        method: 'PATCH',
        url: `/api/v1/cases/${caseL}`,
        payload: { risk },
        headers: { 'if-match': `"${version}"` },
      });
      expect(res.statusCode).toBe(200);
    }
    const timeline = (id: string) => () => get(w.supervisorA, `/api/v1/cases/${id}/events`);
    const longer = (await timeline(caseL)()).items.length;
    expect(longer).toBeGreaterThan((await timeline(small)()).items.length);
    expect(await statementsDuring(timeline(caseL))).toBe(await statementsDuring(timeline(small)));

    const hold = async (caseId: string, attendees: TestUser[]) => {
      const res = await call(t, w.supervisorA, {
        method: 'POST',
        url: `/api/v1/cases/${caseId}/conferences`,
        payload: {
          kind: 'case_review',
          heldAt: '2026-06-19T14:00:00+09:00',
          attendeeUserIds: attendees.map((u) => u.id),
          attendeeOrganizationIds: [],
          decisions: '継続',
        },
      });
      expect(res.statusCode).toBe(201);
    };
    await hold(small, [w.counselorA]);
    await hold(caseL, [w.leadA, w.supervisorA]);
    await hold(caseL, [w.counselorA, w.leadA]);
    const conferences = (id: string) => () => get(w.supervisorA, `/api/v1/cases/${id}/conferences`);
    expect((await conferences(caseL)()).items).toHaveLength(3);
    expect((await conferences(small)()).items).toHaveLength(1);
    expect(await statementsDuring(conferences(caseL))).toBe(await statementsDuring(conferences(small)));
  });

  it("a case's contact details name who added each contact point and who recorded each address, in one names query", async () => {
    const detail = await get(w.counselorA, `/api/v1/cases/${caseL}`);
    const mother = detail.household.members[0].id as string;
    const addContact = async (caseId: string, by: TestUser, personId: string, value: string) => {
      const res = await call(t, by, {
        method: 'POST',
        url: `/api/v1/cases/${caseId}/contacts`,
        payload: { personId, kind: 'phone', label: 'mobile', value, note: '夜間不可' },
      });
      expect(res.statusCode).toBe(201);
      return res.json();
    };
    expect(await addContact(caseL, w.counselorA, mother, '090-1111-2222')).toMatchObject({
      createdBy: w.counselorA.id,
      createdByUser: named(w.counselorA),
    });
    await addContact(caseL, w.supervisorA, mother, '090-3333-4444');
    await addContact(caseL, w.supervisorA, detail.subject.id, '090-5555-6666');
    const moved = await call(t, w.leadA, {
      method: 'POST',
      url: `/api/v1/cases/${caseL}/moves`,
      payload: { address: '岡山市中央二丁目2-2', movedOn: '2026-06-20' },
    });
    expect(moved.statusCode).toBe(201);
    expect(moved.json().address).toMatchObject({ recordedBy: w.leadA.id, recordedByUser: named(w.leadA) });

    const details = await get(w.counselorA, `/api/v1/cases/${caseL}/contacts`);
    expect(details.contacts.map((k: { createdByUser: unknown }) => k.createdByUser)).toEqual([
      named(w.counselorA),
      named(w.supervisorA),
      named(w.supervisorA),
    ]);
    // The intake's address was recorded by the counselor who has left since: still named.
    expect(details.addresses).toEqual([
      expect.objectContaining({ change: 'move', recordedBy: w.leadA.id, recordedByUser: named(w.leadA) }),
      expect.objectContaining({ change: 'intake', recordedBy: leaving.id, recordedByUser: named(leaving) }),
    ]);
    // The whole record names them too, with the rest of its staff.
    const record = await get(w.counselorA, `/api/v1/cases/${caseL}/record`);
    expect(record.household.contacts.map((k: { createdByUser: unknown }) => k.createdByUser)).toEqual(
      details.contacts.map((k: { createdByUser: unknown }) => k.createdByUser),
    );
    expect(record.household.addresses[1].recordedByUser).toEqual(named(leaving));

    // A case with one contact point and one address costs the statements of caseL's three and two.
    const few = (await openCase(t, w.counselorA)).case.id;
    const fewMother = (await get(w.counselorA, `/api/v1/cases/${few}`)).household.members[0].id as string;
    await addContact(few, w.counselorA, fewMother, '090-7777-8888');
    const contactsOf = (id: string) => () => get(w.counselorA, `/api/v1/cases/${id}/contacts`);
    expect((await contactsOf(few)()).contacts).toHaveLength(1);
    expect(await statementsDuring(contactsOf(caseL))).toBe(await statementsDuring(contactsOf(few)));
  });

  it('reads the names of a page of cases, of consultations, and of a case with its consultations, at once', async () => {
    // Three cases of district A, each held by a counselor, opened (the call's time) after every other case here.
    const held: [TestUser, TestUser[]][] = [
      [w.counselorA, [w.leadA]],
      [w.leadA, [w.counselorA]],
      [w.counselorA, []],
    ];
    for (const [i, [primary, co]] of held.entries()) {
      const occurredAt = `2026-07-0${i + 1}T10:00:00+09:00`;
      const id = (await openCase(t, w.counselorA, { consultation: { occurredAt } })).case.id;
      await setCase(t, id, { primary_counselor_id: primary.id, co_counselor_ids: co.map((u) => u.id) });
    }
    const casesOf = (limit: number) => () =>
      get(w.supervisorA, `/api/v1/cases?districtId=${w.districtA}&limit=${limit}`);
    expect((await casesOf(3)()).items).toHaveLength(3);
    expect(await statementsDuring(casesOf(3))).toBe(await statementsDuring(casesOf(1)));

    // caseL: the intake (leaving), the one counselorA added, and one more by the district's lead.
    const more = await call(t, w.leadA, {
      method: 'POST',
      url: `/api/v1/cases/${caseL}/consultations`,
      payload: { ...intakeBody().consultation, occurredAt: '2026-06-08T10:00:00+09:00' },
    });
    expect(more.statusCode).toBe(201);
    const consultationsOf = (limit: number) => () =>
      get(w.supervisorA, `/api/v1/cases/${caseL}/consultations?limit=${limit}`);
    expect(new Set((await consultationsOf(3)()).items.map((k: { counselorId: string }) => k.counselorId)).size).toBe(3);
    expect(await statementsDuring(consultationsOf(3))).toBe(await statementsDuring(consultationsOf(1)));

    const few = (await openCase(t, w.counselorA)).case.id;
    const caseOf = (id: string) => () => get(w.supervisorA, `/api/v1/cases/${id}`);
    expect((await caseOf(caseL)()).recentConsultations).toHaveLength(3);
    expect(await statementsDuring(caseOf(caseL))).toBe(await statementsDuring(caseOf(few)));
  });

  it('a support plan names who drafted (deactivated since), submitted, returned and approved it, and who explained it', async () => {
    const step = async (user: TestUser, action: string, extra: object = {}) => {
      const res = await call(t, user, {
        method: 'POST',
        url: `/api/v1/plans/${planId}/transitions`,
        payload: { action, ...extra },
      });
      expect(res.statusCode).toBe(200);
      return res.json();
    };
    const drafted = await get(w.counselorA, `/api/v1/plans/${planId}`);
    expect(drafted).toMatchObject({
      draftedBy: leaving.id,
      draftedByUser: named(leaving),
      submittedBy: null,
      submittedByUser: null,
      approvedByUser: null,
      returnedByUser: null,
      familyAgreement: null,
    });
    expect(await step(w.counselorA, 'submit')).toMatchObject({
      submittedBy: w.counselorA.id,
      submittedByUser: named(w.counselorA),
    });
    expect(await step(w.supervisorA, 'return', { reason: '目標の期日を具体的に' })).toMatchObject({
      returnedBy: w.supervisorA.id,
      returnedByUser: named(w.supervisorA),
      returnReason: '目標の期日を具体的に',
      draftedByUser: named(leaving),
    });
    expect(await step(w.leadA, 'submit')).toMatchObject({ submittedBy: w.leadA.id, submittedByUser: named(w.leadA) });
    expect(await step(w.supervisorA, 'approve')).toMatchObject({
      approvedBy: w.supervisorA.id,
      approvedByUser: named(w.supervisorA),
      submittedByUser: named(w.leadA),
      returnedByUser: named(w.supervisorA),
    });
    const agreed = await call(t, w.counselorA, {
      method: 'POST',
      url: `/api/v1/plans/${planId}/agreement`,
      payload: { explainedOn: '2026-06-20', agreedBy: '母' },
    });
    expect(agreed.statusCode).toBe(200);
    // Who in the family agreed stays words: a family member is never a UserRef.
    expect(agreed.json().familyAgreement).toEqual({
      explainedOn: '2026-06-20',
      explainedBy: w.counselorA.id,
      explainedByUser: named(w.counselorA),
      agreedBy: '母',
      note: null,
    });
    const [listed] = (await get(w.counselorA, `/api/v1/cases/${caseL}/plans`)).items;
    expect(listed).toMatchObject({
      id: planId,
      draftedByUser: named(leaving),
      submittedByUser: named(w.leadA),
      approvedByUser: named(w.supervisorA),
      returnedByUser: named(w.supervisorA),
      familyAgreement: { explainedByUser: named(w.counselorA) },
    });
  });

  it('a service use names who recorded it and who cancelled it: recorded, listed, read and cancelled', async () => {
    const recorded = await call(t, w.counselorA, {
      method: 'POST',
      url: `/api/v1/cases/${caseL}/service-uses`,
      payload: { serviceCode: 'parent_child_class', startDate: '2026-06-22' },
    });
    expect(recorded.statusCode).toBe(201);
    const use = recorded.json();
    expect(use).toMatchObject({
      planId,
      recordedBy: w.counselorA.id,
      recordedByUser: named(w.counselorA),
      cancelledBy: null,
      cancelledByUser: null,
    });
    const cancelled = await call(t, w.leadA, {
      method: 'POST',
      url: `/api/v1/service-uses/${use.id}/cancel`,
      payload: { reason: '別のケースに記録すべきものだった' },
    });
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json()).toMatchObject({ cancelledBy: w.leadA.id, cancelledByUser: named(w.leadA) });
    expect(await get(w.supervisorA, `/api/v1/service-uses/${use.id}`)).toMatchObject({
      recordedByUser: named(w.counselorA),
      cancelledByUser: named(w.leadA),
    });
    const [listed] = (await get(w.supervisorA, `/api/v1/cases/${caseL}/service-uses`)).items;
    expect(listed).toMatchObject({ id: use.id, recordedByUser: named(w.counselorA), cancelledByUser: named(w.leadA) });
  });

  it("reads the names (and deliveries) of a case's every plan version, and of a page of service uses, at once", async () => {
    // caseL: version 1 in force with a use delivered against it, version 2 drafted by someone else.
    for (const by of [w.leadA, w.supervisorA]) {
      const res = await call(t, by, {
        method: 'POST',
        url: `/api/v1/cases/${caseL}/service-uses`,
        payload: { serviceCode: 'parent_child_class', startDate: '2026-06-25' },
      });
      expect(res.statusCode).toBe(201);
    }
    const revision = await call(t, w.leadA, {
      method: 'POST',
      url: `/api/v1/cases/${caseL}/plans`,
      payload: planBody('改訂：父の協力が得られるようになった。'),
    });
    expect(revision.statusCode).toBe(201);
    const one = (await openCase(t, w.counselorA)).case.id;
    await setCase(t, one, { status: 'active', primary_counselor_id: w.counselorA.id });
    expect(
      (await call(t, w.counselorA, { method: 'POST', url: `/api/v1/cases/${one}/plans`, payload: planBody() }))
        .statusCode,
    ).toBe(201);

    const plansOf = (id: string) => () => get(w.supervisorA, `/api/v1/cases/${id}/plans`);
    const versions = (await plansOf(caseL)()).items;
    expect(versions.map((p: { draftedByUser: unknown }) => p.draftedByUser)).toEqual([named(w.leadA), named(leaving)]);
    expect(versions[1].delivered).toEqual([
      { serviceCode: 'parent_child_class', uses: 2, persons: 2, nights: 0, hours: 0 },
    ]);
    expect(versions[0].delivered).toEqual([]);
    expect((await plansOf(one)()).items).toHaveLength(1);
    expect(await statementsDuring(plansOf(caseL))).toBe(await statementsDuring(plansOf(one)));

    const usesOf = (limit: number) => () => get(w.supervisorA, `/api/v1/cases/${caseL}/service-uses?limit=${limit}`);
    expect(new Set((await usesOf(3)()).items.map((u: { recordedBy: string }) => u.recordedBy)).size).toBe(3);
    expect(await statementsDuring(usesOf(3))).toBe(await statementsDuring(usesOf(1)));
  });
});
