import { ErrorCode } from '@member-system/contracts';
import { AppException } from '@member-system/shared/errors';
import type { ReadOnlyOn } from './read-only-state';

export const READ_ONLY_SWITCH_ROUTE = '/api/v1/admin/system/read-only';

const READING_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Routes that go on in read-only mode although their method writes elsewhere. */
const ALLOWED_ROUTES = new Set([
  // The way out of read-only mode.
  `PUT ${READ_ONLY_SWITCH_ROUTE}`,
  // Prices an order and writes nothing: checkouts keep working while writes are refused.
  'POST /api/v1/benefits/quote',
]);

/** Whether read-only mode refuses this request; `route` is the matched route's URL pattern. */
export function isRefusedInReadOnlyMode(method: string, route: string | undefined): boolean {
  if (READING_METHODS.has(method)) return false;
  return !ALLOWED_ROUTES.has(`${method} ${route ?? ''}`);
}

/** The 503 every refused write gets. */
export function readOnlyRefusal(state: ReadOnlyOn): AppException {
  return new AppException(
    ErrorCode.ReadOnlyMode,
    'The member system is in read-only mode: reads work, changes are refused for now',
    { since: state.since, reason: state.reason },
  );
}
