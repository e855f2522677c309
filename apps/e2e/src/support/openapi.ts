import type { Method } from './api';
import { fleetInfo } from './fleet';

export interface DocumentedRoute {
  method: Method;
  /** The OpenAPI path, `{memberId}` and all. */
  path: string;
}

/** Every operation under `/api/v1` in the fleet gateway's OpenAPI document. */
export async function documentedRoutes(): Promise<DocumentedRoute[]> {
  const response = await fetch(`${fleetInfo().gatewayUrl}/docs-json`);
  const document = (await response.json()) as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(document.paths)
    .filter(([path]) => path.startsWith('/api/v1/'))
    .flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => ({ method: method.toUpperCase() as Method, path })),
    );
}
