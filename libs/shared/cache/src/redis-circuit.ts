import { withTimeout } from './redis-level';

export class RedisSkippedError extends Error {
  constructor(operation: string) {
    super(`Redis ${operation} skipped: Redis failed recently`);
    this.name = 'RedisSkippedError';
  }
}

export interface RedisCircuitOptions {
  /** Longest wait for one command. */
  timeoutMs: number;
  /** How long Redis is skipped once it failed before one command tries it again. */
  openMs: number;
  /**
   * Failures in a row that start skipping (default 3): one slow answer on a busy machine is no
   * outage, and skipping costs something (per-instance rate limits, reads from MySQL).
   */
  failuresToOpen?: number;
}

/**
 * Skips Redis for a while after commands failed or timed out several times in a row. A frozen
 * Redis (SIGSTOP, a network that drops packets) makes every command wait its full timeout; without
 * this, every request would pay that wait for as long as the outage lasts. Callers treat a skip
 * like any Redis failure (fall back to MySQL or to an in-process limit). After `openMs` one command
 * tries Redis again; the others keep skipping until it answers: its success closes the circuit,
 * its failure skips for another `openMs`.
 */
export class RedisCircuit {
  private openUntil = 0;
  private probing = false;
  private failures = 0;

  constructor(private readonly options: RedisCircuitOptions) {}

  /** Runs `command` within the timeout, or rejects at once with RedisSkippedError while open. */
  async run<T>(operation: string, command: () => Promise<T>): Promise<T> {
    const probe = this.openUntil !== 0;
    if (probe && (Date.now() < this.openUntil || this.probing)) {
      throw new RedisSkippedError(operation);
    }
    if (probe) this.probing = true;
    try {
      const value = await withTimeout(command(), this.options.timeoutMs, operation);
      this.openUntil = 0;
      this.failures = 0;
      return value;
    } catch (error) {
      this.failures += 1;
      if (probe || this.failures >= (this.options.failuresToOpen ?? 3)) {
        this.openUntil = Date.now() + this.options.openMs;
      }
      throw error;
    } finally {
      if (probe) this.probing = false;
    }
  }
}
