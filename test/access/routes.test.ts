import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { AccessGuard } from '../../src/access/access.guard';
import { REQUIRES, RouteAccess } from '../../src/access/decorators';
import { IS_PUBLIC } from '../../src/core/http/public';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * style.md, from Twenty: every endpoint says who may call it. This walks
 * every route Nest registered and fails on one that declares nothing.
 */
describe('every route declares its access rule', () => {
  let t: TestApp;
  const routes: string[] = [];
  const undeclared: string[] = [];
  /** Route → what it declares: its permissions, "any user", or "public". */
  const declared: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp();
    const discovery = t.app.get(DiscoveryService);
    const scanner = t.app.get(MetadataScanner);
    const reflector = t.app.get(Reflector);
    for (const wrapper of discovery.getControllers()) {
      const instance = wrapper.instance as Record<string, unknown>;
      if (!instance) continue;
      const controller = wrapper.metatype as object;
      for (const name of scanner.getAllMethodNames(Object.getPrototypeOf(instance))) {
        const handler = instance[name] as object;
        const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
        if (path === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
        const route = `${method} ${String(Reflect.getMetadata(PATH_METADATA, controller))}/${path}`;
        routes.push(route);
        const targets = [handler as never, controller as never];
        const isPublic = reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets);
        const access = reflector.getAllAndOverride<RouteAccess | undefined>(REQUIRES, targets);
        if (!isPublic && !access) undeclared.push(route);
        const readable = `${method} /${String(Reflect.getMetadata(PATH_METADATA, controller))}/${path}`
          .replace(/\/+/g, '/')
          .replace(/(.)\/$/, '$1');
        declared[readable] = isPublic
          ? 'public'
          : !access
            ? 'nothing'
            : 'anyUser' in access
              ? 'any user'
              : access.permissions.join(' | ');
      }
    }
  });
  afterAll(async () => t?.close());

  it('finds no route without @Public(), @Allow() or @AnyUser()', () => {
    expect(routes.length).toBeGreaterThan(20);
    expect(undeclared).toEqual([]);
  });

  /**
   * From Twenty: a diff here changes who can reach an endpoint. A route added,
   * removed, or given another permission fails this test until the snapshot
   * (__snapshots__/routes.test.ts.snap) is updated with
   * `npx jest test/access/routes.test.ts -u` and the diff reviewed.
   */
  it('matches the route → permission snapshot', () => {
    const sorted = Object.fromEntries(Object.entries(declared).sort(([a], [b]) => a.localeCompare(b)));
    expect(sorted).toMatchSnapshot();
  });

  it('refuses a route that declares nothing, even for an admin (deny by default)', async () => {
    const guard = new AccessGuard(new Reflector());
    // A handler with no metadata, behind a request that authenticated fine:
    const handler = () => undefined;
    class Bare {}
    const context = {
      getHandler: () => handler,
      getClass: () => Bare,
      switchToHttp: () => ({ getRequest: () => ({ user: { mustChangePassword: false } }), getResponse: () => ({}) }),
      getType: () => 'http',
      getArgs: () => [],
    };
    // Skip passport: the authentication step itself is covered by the auth tests.
    jest.spyOn(Object.getPrototypeOf(AccessGuard.prototype), 'canActivate').mockResolvedValue(true);
    await expect(guard.canActivate(context as never)).rejects.toMatchObject({ code: 'forbidden' });
  });
});
