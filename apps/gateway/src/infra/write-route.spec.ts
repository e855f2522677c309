import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { RequestMethod } from '@nestjs/common';
import { INTERCEPTORS_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { AuditedWritesInterceptor } from '../audit/audited-writes.interceptor';
import { IdempotencyInterceptor } from '../idempotency/idempotency.interceptor';
import { JobLocationInterceptor } from '../jobs/accepted-job';
import { ApprovalRequestedInterceptor } from '../points/adjustment-write-route';

/** Interceptors that shape the answer, placed before the write route's so replays get them too. */
const ANSWER_SHAPERS: unknown[] = [JobLocationInterceptor, ApprovalRequestedInterceptor];

/** Routes that use POST but change nothing, so keys and audit do not apply. */
const READS_BY_POST = new Set(['POST benefits/quote']);
const MUTATING = new Set([
  RequestMethod.POST,
  RequestMethod.PUT,
  RequestMethod.PATCH,
  RequestMethod.DELETE,
]);

interface Route {
  name: string;
  mutating: boolean;
  interceptors: unknown[];
}

function controllerFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return controllerFiles(path);
    return entry.name.endsWith('.controller.ts') ? [path] : [];
  });
}

/** Every route of every gateway controller, with its verb and its interceptors. */
function gatewayRoutes(): Route[] {
  return controllerFiles(join(__dirname, '..')).flatMap((file) =>
    Object.values(jest.requireActual<Record<string, unknown>>(file))
      .filter((value): value is new () => object => typeof value === 'function')
      .filter((controller) => Reflect.hasMetadata(PATH_METADATA, controller))
      .flatMap((controller) => {
        const prefix = String(Reflect.getMetadata(PATH_METADATA, controller));
        return Object.getOwnPropertyNames(controller.prototype).flatMap((key) => {
          const handler = (controller.prototype as Record<string, unknown>)[key];
          if (typeof handler !== 'function' || !Reflect.hasMetadata(METHOD_METADATA, handler))
            return [];
          const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod;
          const path = String(Reflect.getMetadata(PATH_METADATA, handler) ?? '');
          const name = `${RequestMethod[method]} ${[prefix, path].filter((p) => p && p !== '/').join('/')}`;
          return [
            {
              name,
              mutating: MUTATING.has(method) && !READS_BY_POST.has(name),
              interceptors: (Reflect.getMetadata(INTERCEPTORS_METADATA, handler) ??
                []) as unknown[],
            },
          ];
        });
      }),
  );
}

describe('WriteRoute', () => {
  const routes = gatewayRoutes();

  it('finds the gateway routes', () => {
    expect(routes.filter((route) => route.mutating).length).toBeGreaterThanOrEqual(25);
    expect(routes.map((route) => route.name)).toContain('POST points/me/use');
  });

  it('is on every route that changes something: keys honoured, admin writes audited', () => {
    const unmarked = routes
      .filter((route) => route.mutating)
      // A route that starts a job sets its Location first, and the adjust route its 202, so
      // that a replayed answer has it too.
      .map((route) => ({
        ...route,
        interceptors: ANSWER_SHAPERS.includes(route.interceptors[0])
          ? route.interceptors.slice(1)
          : route.interceptors,
      }))
      .filter(
        (route) =>
          route.interceptors[0] !== IdempotencyInterceptor ||
          route.interceptors[1] !== AuditedWritesInterceptor,
      )
      .map((route) => route.name);
    expect(unmarked).toEqual([]);
  });

  it('leaves reads without interceptors', () => {
    const reads = routes.filter((route) => !route.mutating);
    expect(reads.length).toBeGreaterThan(10);
    expect(reads.filter((route) => route.interceptors.length > 0).map((r) => r.name)).toEqual([]);
  });
});
