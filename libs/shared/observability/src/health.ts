/** A readiness probe of one dependency, using the app's existing connection. */
export interface HealthCheck {
  name: string;
  check(): Promise<void>;
}

/** Something `/health/ready` shows beside the checks, never failing readiness (a mode, a state). */
export interface HealthInfo {
  name: string;
  describe(): Promise<unknown>;
}

export interface ReadinessReport {
  status: 'ok' | 'unavailable';
  checks: Record<string, { status: 'up' | 'down'; error?: string }>;
}

export async function runHealthChecks(
  checks: HealthCheck[],
  timeoutMs = 2000,
): Promise<ReadinessReport> {
  const results = await Promise.all(
    checks.map(async (probe) => {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          probe.check(),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs);
          }),
        ]);
        return [probe.name, { status: 'up' as const }] as const;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return [probe.name, { status: 'down' as const, error: message }] as const;
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const report = Object.fromEntries(results) as ReadinessReport['checks'];
  const allUp = results.every(([, result]) => result.status === 'up');
  return { status: allUp ? 'ok' : 'unavailable', checks: report };
}
