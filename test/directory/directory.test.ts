import { call, createUser, createWorld, login, World } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

describe('directory: users, districts and memberships, organizations', () => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await startTestApp();
    w = await createWorld(t);
  });
  afterAll(async () => t?.close());

  const count = async (table: string) => Number((await t.db.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n);

  describe('users', () => {
    it('creates a user with a one-time password that must be changed', async () => {
      const res = await call(t, w.admin, {
        method: 'POST',
        url: '/api/v1/users',
        payload: { username: 'new.counselor', displayName: '新 相談員', roles: ['counselor'], email: 'n@example.jp' },
      });
      expect(res.statusCode).toBe(201);
      const body = res.json();
      expect(body.user).toMatchObject({
        username: 'new.counselor',
        roles: ['counselor'],
        mustChangePassword: true,
        active: true,
      });
      expect(body.user).not.toHaveProperty('passwordHash');
      const first = await login(t, 'new.counselor', body.oneTimePassword);
      expect(first.statusCode).toBe(200);
      expect(first.json().user.mustChangePassword).toBe(true);
    });

    it.each([
      ['unknown role code', { username: 'bad.role', displayName: 'X', roles: ['superuser'] }],
      ['short password', { username: 'short.pw', displayName: 'X', roles: ['staff'], password: 'elevenchars' }],
      ['unknown field', { username: 'extra.f', displayName: 'X', roles: ['staff'], isAdmin: true }],
      ['no roles', { username: 'no.roles', displayName: 'X', roles: [] }],
      ['bad username', { username: 'Has Space', displayName: 'X', roles: ['staff'] }],
      ['huge display name', { username: 'huge.name', displayName: 'x'.repeat(5000), roles: ['staff'] }],
    ])('refuses %s with 400 and creates nothing', async (_label, payload) => {
      const before = await count('users');
      const res = await call(t, w.admin, { method: 'POST', url: '/api/v1/users', payload });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'validation_failed', errors: expect.any(Array) });
      expect(await count('users')).toBe(before);
    });

    it('refuses a duplicate username (any case) with 409', async () => {
      const before = await count('users');
      const res = await call(t, w.admin, {
        method: 'POST',
        url: '/api/v1/users',
        payload: { username: 'STAFF1'.toLowerCase(), displayName: 'Dup', roles: ['staff'] },
      });
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ code: 'conflict', errors: [{ field: 'username', message: 'is taken' }] });
      expect(await count('users')).toBe(before);
    });

    it('updates with If-Match; a stale version is a 409 and a missing one a 428', async () => {
      const target = await createUser(t, 'renamed', ['staff']);
      const { version } = (await call(t, w.admin, { method: 'GET', url: `/api/v1/users/${target.id}` })).json();
      const ok = await call(t, w.admin, {
        method: 'PATCH',
        url: `/api/v1/users/${target.id}`,
        headers: { 'if-match': `"${version}"` },
        payload: { displayName: 'Renamed' },
      });
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toMatchObject({ displayName: 'Renamed', version: version + 1 });
      const stale = await call(t, w.admin, {
        method: 'PATCH',
        url: `/api/v1/users/${target.id}`,
        headers: { 'if-match': `"${version}"` },
        payload: { displayName: 'Again' },
      });
      expect(stale.statusCode).toBe(409);
      expect(stale.json().code).toBe('version_conflict');
      const missing = await call(t, w.admin, {
        method: 'PATCH',
        url: `/api/v1/users/${target.id}`,
        payload: { displayName: 'Again' },
      });
      expect(missing.statusCode).toBe(428);
      const [row] = await t.db.query('SELECT display_name FROM users WHERE id = $1', [target.id]);
      expect(row.display_name).toBe('Renamed');
    });

    it('answers 404 for an unknown id and 400 for an id that is not a UUID', async () => {
      expect(
        (await call(t, w.admin, { method: 'GET', url: '/api/v1/users/00000000-0000-4000-8000-000000000000' }))
          .statusCode,
      ).toBe(404);
      expect((await call(t, w.admin, { method: 'GET', url: '/api/v1/users/not-a-uuid' })).statusCode).toBe(400);
      expect(
        (
          await call(t, w.admin, {
            method: 'POST',
            url: '/api/v1/users/00000000-0000-4000-8000-000000000000/deactivate',
          })
        ).statusCode,
      ).toBe(404);
    });

    it('pages the user list with an opaque cursor', async () => {
      const first = (await call(t, w.staff, { method: 'GET', url: '/api/v1/users?limit=3' })).json();
      expect(first.items).toHaveLength(3);
      expect(first.nextCursor).toEqual(expect.any(String));
      const second = (
        await call(t, w.staff, { method: 'GET', url: `/api/v1/users?limit=3&cursor=${first.nextCursor}` })
      ).json();
      const ids = [...first.items, ...second.items].map((u: { id: string }) => u.id);
      expect(new Set(ids).size).toBe(6);
      expect((await call(t, w.staff, { method: 'GET', url: '/api/v1/users?limit=0' })).statusCode).toBe(400);
      expect((await call(t, w.staff, { method: 'GET', url: '/api/v1/users?limit=101' })).statusCode).toBe(400);
      expect((await call(t, w.staff, { method: 'GET', url: '/api/v1/users?cursor=zzz' })).statusCode).toBe(400);
    });
  });

  describe('districts and memberships', () => {
    it('resolves the district of an address written in full-width characters and spaces', async () => {
      const fullWidth = await call(t, w.counselorA, {
        method: 'GET',
        url: `/api/v1/districts/resolve?address=${encodeURIComponent('〒７００ー０００１　岡山市　中央一丁目　１－２')}`,
      });
      expect(fullWidth.statusCode).toBe(200);
      expect(fullWidth.json().id).toBe(w.districtA);
      const town = await call(t, w.counselorA, {
        method: 'GET',
        url: `/api/v1/districts/resolve?address=${encodeURIComponent('北町 3-4-5')}`,
      });
      expect(town.json().id).toBe(w.districtB);
      const none = await call(t, w.counselorA, {
        method: 'GET',
        url: `/api/v1/districts/resolve?address=${encodeURIComponent('東京都千代田区')}`,
      });
      expect(none.statusCode).toBe(404);
      expect((await call(t, w.counselorA, { method: 'GET', url: '/api/v1/districts/resolve' })).statusCode).toBe(400);
    });

    it('keeps membership history; an ended membership no longer gives scope', async () => {
      const mover = await createUser(t, 'mover', ['counselor']);
      const url = `/api/v1/districts/${w.districtB}/members`;
      expect(
        (await call(t, w.admin, { method: 'POST', url, payload: { userId: mover.id, role: 'member' } })).statusCode,
      ).toBe(201);
      const before = (await call(t, mover, { method: 'GET', url: '/api/v1/auth/me' })).json();
      expect(before.districts.map((d: { districtId: string }) => d.districtId)).toEqual([w.districtB]);

      expect((await call(t, w.supervisorB, { method: 'DELETE', url: `${url}/${mover.id}` })).statusCode).toBe(204);
      const after = (await call(t, mover, { method: 'GET', url: '/api/v1/auth/me' })).json();
      expect(after.districts).toEqual([]);
      const current = (await call(t, w.admin, { method: 'GET', url })).json().items;
      expect(current.map((m: { userId: string }) => m.userId)).not.toContain(mover.id);
      const history = (await call(t, w.admin, { method: 'GET', url: `${url}?history=true` })).json().items;
      expect(history.find((m: { userId: string }) => m.userId === mover.id)).toMatchObject({
        validTo: expect.any(String),
      });
      // ending it twice finds nothing open
      expect((await call(t, w.supervisorB, { method: 'DELETE', url: `${url}/${mover.id}` })).statusCode).toBe(404);
    });

    it('names a new lead and turns the previous lead into a member, both kept in history', async () => {
      const url = `/api/v1/districts/${w.districtB}/members`;
      const res = await call(t, w.supervisorB, {
        method: 'POST',
        url,
        payload: { userId: w.counselorB.id, role: 'lead' },
      });
      expect(res.statusCode).toBe(201);
      const current = (await call(t, w.admin, { method: 'GET', url })).json().items as {
        userId: string;
        role: string;
      }[];
      expect(current.filter((m) => m.role === 'lead').map((m) => m.userId)).toEqual([w.counselorB.id]);
      expect(current.find((m) => m.userId === w.leadB.id)?.role).toBe('member');
      const again = await call(t, w.supervisorB, {
        method: 'POST',
        url,
        payload: { userId: w.counselorB.id, role: 'lead' },
      });
      expect(again.statusCode).toBe(409);
    });

    it('refuses members without the counselor role and unknown users, changing nothing', async () => {
      const url = `/api/v1/districts/${w.districtA}/members`;
      const before = await count('district_members');
      expect(
        (await call(t, w.admin, { method: 'POST', url, payload: { userId: w.staff.id, role: 'member' } })).statusCode,
      ).toBe(400);
      expect(
        (
          await call(t, w.admin, {
            method: 'POST',
            url,
            payload: { userId: '00000000-0000-4000-8000-000000000000', role: 'member' },
          })
        ).statusCode,
      ).toBe(400);
      expect(
        (await call(t, w.admin, { method: 'POST', url, payload: { userId: w.counselorB.id, role: 'boss' } }))
          .statusCode,
      ).toBe(400);
      expect(
        (
          await call(t, w.admin, {
            method: 'POST',
            url: '/api/v1/districts/00000000-0000-4000-8000-000000000000/members',
            payload: { userId: w.counselorB.id, role: 'member' },
          })
        ).statusCode,
      ).toBe(404);
      expect(await count('district_members')).toBe(before);
    });

    it('validates districts: duplicate code 409, unknown fields 400, versioned PATCH', async () => {
      const dup = await call(t, w.admin, {
        method: 'POST',
        url: '/api/v1/districts',
        payload: { code: 'district_a', name: 'Again', areas: [] },
      });
      expect(dup.statusCode).toBe(409);
      const unknown = await call(t, w.admin, {
        method: 'POST',
        url: '/api/v1/districts',
        payload: { code: 'x1', name: 'X', areas: [], color: 'red' },
      });
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json().errors).toEqual([{ field: 'color', code: 'unknown_field', message: 'unknown field' }]);
      const d = (await call(t, w.admin, { method: 'GET', url: `/api/v1/districts/${w.districtB}` })).json();
      const patched = await call(t, w.admin, {
        method: 'PATCH',
        url: `/api/v1/districts/${w.districtB}`,
        headers: { 'if-match': `"${d.version}"` },
        payload: { areas: ['北町', '北二丁目'] },
      });
      expect(patched.statusCode).toBe(200);
      expect(patched.json().areas).toEqual(['北町', '北二丁目']);
    });
  });

  describe('organizations', () => {
    it('creates, filters and updates organizations; bad codes are 400', async () => {
      const created = await call(t, w.admin, {
        method: 'POST',
        url: '/api/v1/organizations',
        payload: {
          name: '岡山県中央児童相談所',
          kind: 'external',
          type: 'child_guidance_center',
          councilMember: true,
          contact: { phone: '086-000-0000' },
        },
      });
      expect(created.statusCode).toBe(201);
      const org = created.json();
      const list = (
        await call(t, w.staff, {
          method: 'GET',
          url: `/api/v1/organizations?councilMember=true&q=${encodeURIComponent('児童相談')}`,
        })
      ).json();
      expect(list.items.map((o: { id: string }) => o.id)).toEqual([org.id]);
      const bad = await call(t, w.admin, {
        method: 'POST',
        url: '/api/v1/organizations',
        payload: { name: 'X', kind: 'galactic', type: 'school', councilMember: 'yes' },
      });
      expect(bad.statusCode).toBe(400);
      expect(
        bad
          .json()
          .errors.map((e: { field: string }) => e.field)
          .sort(),
      ).toEqual(['councilMember', 'kind']);
      const patched = await call(t, w.admin, {
        method: 'PATCH',
        url: `/api/v1/organizations/${org.id}`,
        payload: { councilMember: false, version: org.version },
      });
      expect(patched.statusCode).toBe(200);
      expect(patched.json().councilMember).toBe(false);
      const evidence = await t.db.query(
        `SELECT summary FROM audit_events WHERE entity_type = 'organization' AND entity_id = $1 ORDER BY id`,
        [org.id],
      );
      expect(evidence.map((e: { summary: { councilMember: boolean } }) => e.summary.councilMember)).toEqual([
        true,
        false,
      ]);
    });

    it('serves the code lists with labels and the nested consultation type tree', async () => {
      const lists = (await call(t, w.counselorA, { method: 'GET', url: '/api/v1/code-lists' })).json();
      const protection = lists.consultationTypes.find((n: { code: string }) => n.code === 'protection');
      expect(protection.children.map((c: { code: string }) => c.code)).toEqual(['abuse', 'protection_other']);
      expect(lists.channels.find((c: { code: string }) => c.code === 'walk_in').label).toEqual({
        ja: '来所',
        en: expect.any(String),
      });
      // The codes the API answers but no form asks for (issue 12): notification kinds, origins, actions, events.
      const label = (list: string, code: string) => lists[list].find((c: { code: string }) => c.code === code)?.label;
      expect(label('notificationKinds', 'plan_missing')).toEqual({
        ja: '支援計画の未作成',
        en: 'Support plan missing',
      });
      expect(label('notificationKinds', 'task_fallback')?.ja).toBe('担当者のいないタスク');
      expect(label('taskOrigins', 'rule_48h')?.en).toBe('48-hour rule (safety check)');
      expect(label('caseActions', 'approve_closure')?.ja).toBe('終結承認');
      expect(label('referralEventActions', 'created')?.ja).toBe('作成');
      expect(label('caseEventKinds', 'moved')?.ja).toBe('世帯の転居');
      expect(label('auditActions', 'login_failed')?.ja).toBe('ログイン失敗');
      expect(label('auditEntityTypes', 'case')?.ja).toBe('ケース');
    });
  });
});
