import fc from 'fast-check';
import { ADMIN_PERMISSIONS } from '@member-system/contracts';
import { api, memberToken, nextUserId, token, waitForBalance } from '../support/api';
import type { Method } from '../support/api';
import { documentedRoutes } from '../support/openapi';
import type { DocumentedRoute } from '../support/openapi';

type Route = DocumentedRoute;

const WRITES = new Set<Method>(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Every permission, so admin routes get past the guard and their validation is what is fuzzed. */
const admin = token({ sub: '71', roles: ['admin'], perms: [...ADMIN_PERMISSIONS] });

/** JSON values of every shape, including deep, odd and huge-number ones. */
const jsonValue = fc.jsonValue({ maxDepth: 3 });
/** A body that always holds a field no route knows, so it must be refused and change nothing. */
const invalidBody = fc
  .tuple(fc.dictionary(fc.string({ maxLength: 12 }), jsonValue, { maxKeys: 5 }), jsonValue)
  .map(([fields, stray]) => ({ ...fields, fuzzUnknownField: stray }));
const pathValue = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
  fc.constantFrom('0', '-1', '1e9', 'null', '%00', '..', 'me'),
);
const query = fc.dictionary(
  fc.constantFrom('limit', 'cursor', 'from', 'to', 'type', 'days', 'period', 'levelId', 'x'),
  fc.string({ maxLength: 40 }),
  { maxKeys: 4 },
);

function urlOf(route: Route, segment: string, params: Record<string, string>): string {
  const path = route.path.replace(/\{[^}]+\}/g, encodeURIComponent(segment));
  const search = new URLSearchParams(params).toString();
  return search ? `${path}?${search}` : path;
}

/** What a member can see of their own state; a refused request must leave it as it was. */
async function stateOf(bearer: string): Promise<unknown> {
  const paths = [
    '/api/v1/members/me',
    '/api/v1/points/me/balance',
    '/api/v1/points/me/transactions',
    '/api/v1/campaigns/me/participations',
    '/api/v1/benefits/me/stats',
  ];
  return Promise.all(paths.map(async (path) => (await api('GET', path, { token: bearer })).body));
}

/**
 * Random path segments, query strings and bodies on every documented route, as a member and as
 * an admin holding every permission: never a 5xx, and a body with a field nobody knows is refused
 * and changes nothing the member can see.
 */
describe('fuzzing every documented route', () => {
  let routes: Route[];
  let member: string;

  beforeAll(async () => {
    routes = await documentedRoutes();
    member = memberToken(nextUserId());
    await api('POST', '/api/v1/members', { token: member, body: {} });
    await waitForBalance(member);
  });

  it('never answers 5xx, and refused writes change nothing', async () => {
    const before = await stateOf(member);
    const failures: string[] = [];
    await fc
      .assert(
        fc.asyncProperty(
          fc.constantFrom(...routes),
          fc.constantFrom(member, admin),
          pathValue,
          query,
          invalidBody,
          async (route, bearer, segment, params, body) => {
            // A DELETE has no body to make it invalid: give it an id that cannot exist, so the fuzz
            // never removes what other tests rely on.
            const url = urlOf(route, route.method === 'DELETE' ? `x${segment}` : segment, params);
            const response = await api(route.method, url, {
              token: bearer,
              ...(WRITES.has(route.method) && route.method !== 'DELETE' ? { body } : {}),
            });
            const problem =
              response.status >= 500
                ? `${route.method} ${url} → ${response.status} ${response.text.slice(0, 200)}`
                : WRITES.has(route.method) && route.method !== 'DELETE' && response.status < 400
                  ? `${route.method} ${url} → ${response.status}: accepted an unknown field`
                  : undefined;
            if (problem) failures.push(problem);
            return problem === undefined;
          },
        ),
        { numRuns: 400, seed: Number(process.env['FUZZ_SEED'] ?? Date.now() % 2 ** 31) },
      )
      .catch((error: unknown) => {
        // The first failing request says more than the shrunk counterexample alone.
        throw new Error(`${failures[0] ?? ''}\n${String(error)}`);
      });
    expect(await stateOf(member)).toEqual(before);
  });
});
