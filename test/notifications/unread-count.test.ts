import { call, createWorld, World } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/** GET /notifications/unread-count: a badge without listing (issue 13, item 6). */
describe('notifications: unread count', () => {
  let t: TestApp;
  let w: World;

  beforeAll(async () => {
    t = await startTestApp();
    w = await createWorld(t);
    await t.db.query(
      `INSERT INTO notifications (user_id, event_key, kind, title)
       VALUES ($1, 'probe-1', 'probe', 'one'), ($1, 'probe-2', 'probe', 'two'), ($2, 'probe-1', 'probe', 'for B')`,
      [w.counselorA.id, w.counselorB.id],
    );
  });
  afterAll(async () => t?.close());

  const unread = (user: World['counselorA']) =>
    call(t, user, { method: 'GET', url: '/api/v1/notifications/unread-count' });

  it("counts only the caller's own unread notifications, and goes down when one is read", async () => {
    expect((await unread(w.counselorA)).json()).toEqual({ unread: 2 });
    expect((await unread(w.counselorB)).json()).toEqual({ unread: 1 });
    const [first] = (await call(t, w.counselorA, { method: 'GET', url: '/api/v1/notifications' })).json().items;
    await call(t, w.counselorA, { method: 'POST', url: `/api/v1/notifications/${first.id}/read` });
    expect((await unread(w.counselorA)).json()).toEqual({ unread: 1 });
    expect((await unread(w.counselorB)).json()).toEqual({ unread: 1 });
  });

  it('is open to every role for their own notifications, and to nobody anonymous', async () => {
    for (const user of [w.supervisorA, w.staff, w.admin]) {
      const res = await unread(user);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ unread: 0 });
    }
    expect((await call(t, null, { method: 'GET', url: '/api/v1/notifications/unread-count' })).statusCode).toBe(401);
  });

  it('is in the OpenAPI document with a typed answer', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/docs-json' })).json();
    const ok = doc.paths['/api/v1/notifications/unread-count'].get.responses['200'];
    const ref: string = ok.content['application/json'].schema.$ref;
    expect(doc.components.schemas[ref.split('/').pop() as string].properties.unread.type).toBe('number');
  });
});
