import { api, expectError, memberToken, nextUserId, token, waitForBalance } from '../support/api';
import { documentedRoutes } from '../support/openapi';
import type { DocumentedRoute } from '../support/openapi';

interface Route extends DocumentedRoute {
  /** The path with every parameter filled in. */
  url: string;
}

/** docs/api/contract.md: what a `service` token may call (the cart, order and customer-service systems). */
const SERVICE_ROUTES = new Set([
  'POST /api/v1/benefits/quote',
  'POST /api/v1/benefits/use',
  'POST /api/v1/points/me/holds',
  'POST /api/v1/points/me/holds/{holdId}/capture',
  'POST /api/v1/points/me/holds/{holdId}/release',
  'GET /api/v1/members/{memberId}/priority',
  'GET /api/v1/levels',
]);
/** Routes a member may call besides their own `/me` ones. */
const MEMBER_ROUTES = new Set([
  'GET /api/v1/levels',
  'POST /api/v1/members',
  'GET /api/v1/campaigns',
  'POST /api/v1/campaigns/{campaignId}/join',
  'POST /api/v1/benefits/quote',
  'POST /api/v1/benefits/use',
]);

async function routesOfTheDocument(): Promise<Route[]> {
  return (await documentedRoutes()).map((route) => ({
    ...route,
    url: route.path.replace(/\{[^}]+\}/g, '1'),
  }));
}

const keyOf = (route: Route): string => `${route.method} ${route.path}`;
const isAdminRoute = (route: Route): boolean => route.path.startsWith('/api/v1/admin/');
const isMemberRoute = (route: Route): boolean =>
  MEMBER_ROUTES.has(keyOf(route)) || /\/me(\/|$)/.test(route.path);

async function statusOf(route: Route, bearer?: string): Promise<number> {
  const response = await api(route.method, route.url, {
    ...(bearer === undefined ? {} : { token: bearer }),
    ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { body: {} }),
  });
  return response.status;
}

/**
 * Every route of the OpenAPI document, called as nobody, as a member, as an admin without the
 * permission, and as a service: each gets exactly the refusals docs/api/contract.md gives it.
 */
describe('authorization over every documented route', () => {
  let routes: Route[];

  beforeAll(async () => {
    routes = await routesOfTheDocument();
  });

  it('documents the routes of every area', () => {
    const areas = new Set(routes.map((route) => route.path.split('/')[3]));
    expect([...areas].sort()).toEqual(
      expect.arrayContaining(['admin', 'benefits', 'campaigns', 'levels', 'members', 'points']),
    );
    expect(routes.length).toBeGreaterThan(40);
  });

  it('answers 401 to every route without a token', async () => {
    const wrong: string[] = [];
    for (const route of routes) {
      const status = await statusOf(route);
      if (status !== 401) wrong.push(`${keyOf(route)} → ${status}`);
    }
    expect(wrong).toEqual([]);
  });

  it('answers 403 to an admin without the permission on every admin route', async () => {
    const bare = token({ sub: '61', roles: ['admin'], perms: [] });
    const wrong: string[] = [];
    for (const route of routes.filter(isAdminRoute)) {
      const status = await statusOf(route, bare);
      if (status !== 403) wrong.push(`${keyOf(route)} → ${status}`);
    }
    expect(wrong).toEqual([]);
  });

  it('lets a member reach only member routes', async () => {
    const wrong: string[] = [];
    for (const route of routes) {
      // A new member each time: a route that writes (a check-in) never affects the next one.
      const status = await statusOf(route, memberToken(nextUserId()));
      const refused = status === 401 || status === 403;
      if (isMemberRoute(route) === refused) wrong.push(`${keyOf(route)} → ${status}`);
    }
    expect(wrong).toEqual([]);
  });

  it('lets a service token reach only the routes docs/api/contract.md lists for services', async () => {
    const service = token({ sub: '62', roles: ['service'], perms: [] });
    const wrong: string[] = [];
    for (const route of routes) {
      const status = await statusOf(route, service);
      const refused = status === 401 || status === 403;
      if (SERVICE_ROUTES.has(keyOf(route)) === refused) wrong.push(`${keyOf(route)} → ${status}`);
    }
    expect(wrong).toEqual([]);
  });

  it("never lets a member act on another member's hold", async () => {
    const admin = token({ sub: '63', roles: ['admin'], perms: ['points:adjust'] });
    const [owner, other] = [memberToken(nextUserId()), memberToken(nextUserId())];
    const registered = await api<{ id: string }>('POST', '/api/v1/members', {
      token: owner,
      body: {},
    });
    await api('POST', '/api/v1/members', { token: other, body: {} });
    await waitForBalance(owner);
    await waitForBalance(other);
    await api('POST', `/api/v1/admin/members/${registered.body.id}/points/adjust`, {
      token: admin,
      body: { points: 40, reasonCode: 'COMPENSATION' },
    });
    const hold = await api<{ holdId: string }>('POST', '/api/v1/points/me/holds', {
      token: owner,
      body: { points: 40, orderId: String(Date.now()) },
    });

    for (const action of ['capture', 'release']) {
      expectError(
        await api('POST', `/api/v1/points/me/holds/${hold.body.holdId}/${action}`, {
          token: other,
        }),
        404,
        'HOLD_NOT_FOUND',
      );
    }
    const balance = await api<{ held: number }>('GET', '/api/v1/points/me/balance', {
      token: owner,
    });
    expect(balance.body.held).toBe(40);
  });
});
