import './workspace-paths';
import { startFleet } from './fleet';
import type { RunningApp } from '@member-system/shared/testing';

declare global {
  // Shared with global-teardown, which runs in the same process.
  var __E2E_APPS__: RunningApp[] | undefined;
}

export default async function globalSetup(): Promise<void> {
  const { info, apps } = await startFleet();
  globalThis.__E2E_APPS__ = apps;
  process.env['E2E_FLEET'] = JSON.stringify(info);
}
