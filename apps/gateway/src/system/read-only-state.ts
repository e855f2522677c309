import type { ReadOnlyView, ServiceName } from '@member-system/contracts';

/** The switch as stored in Redis: the API's view, where a stored automatic state may have expired. */
export type ReadOnlyState = ReadOnlyView;
export type ReadOnlyOn = Extract<ReadOnlyState, { enabled: true }>;

export const READ_ONLY_OFF: ReadOnlyState = { enabled: false };

/** On now: switched on and, for automatic mode, not yet expired. */
export function isOn(state: ReadOnlyState, now: Date): state is ReadOnlyOn {
  return (
    state.enabled && (state.expiresAt === undefined || Date.parse(state.expiresAt) > now.getTime())
  );
}

/** What callers see: an expired automatic state is off. */
export function effectiveState(state: ReadOnlyState, now: Date): ReadOnlyState {
  return isOn(state, now) ? state : READ_ONLY_OFF;
}

/** The stored JSON; anything unreadable counts as off, so a bad value never blocks writes. */
export function parseReadOnlyState(raw: string | null): ReadOnlyState {
  if (raw === null) return READ_ONLY_OFF;
  try {
    const value = JSON.parse(raw) as Partial<ReadOnlyOn>;
    const valid =
      value.enabled === true &&
      (value.source === 'admin' || value.source === 'automatic') &&
      typeof value.reason === 'string' &&
      typeof value.since === 'string' &&
      typeof value.by === 'string' &&
      (value.expiresAt === undefined || typeof value.expiresAt === 'string');
    return valid ? (value as ReadOnlyOn) : READ_ONLY_OFF;
  } catch {
    return READ_ONLY_OFF;
  }
}

export interface AdminSwitch {
  enabled: boolean;
  reason?: string | undefined;
  /** The admin's user id. */
  by: string;
}

/** An admin's switch wins over everything: on without an end, or off whoever turned it on. */
export function switchedByAdmin(
  current: ReadOnlyState,
  { enabled, reason, by }: AdminSwitch,
  now: Date,
): ReadOnlyState {
  if (!enabled) return READ_ONLY_OFF;
  return {
    enabled: true,
    source: 'admin',
    reason: reason ?? 'switched on by an administrator',
    since: isOn(current, now) ? current.since : now.toISOString(),
    by,
  };
}

/**
 * A service reported its primary database unwritable: on for `seconds` from now, extended by
 * every further report. An admin's mode is left as it is (it has no end and an admin ends it).
 */
export function switchedByUnwritableDatabase(
  current: ReadOnlyState,
  service: ServiceName,
  now: Date,
  seconds: number,
): ReadOnlyOn {
  if (isOn(current, now) && current.source === 'admin') return current;
  return {
    enabled: true,
    source: 'automatic',
    reason: `${service}-service reports its primary database unwritable`,
    since: isOn(current, now) ? current.since : now.toISOString(),
    by: `${service}-service`,
    expiresAt: new Date(now.getTime() + seconds * 1000).toISOString(),
  };
}

export type ReadOnlyTransition =
  | { turned: 'on'; state: ReadOnlyOn }
  | { turned: 'off'; previous: ReadOnlyOn; why: 'switched off' | 'expired' };

/**
 * The transitions a write from `previous` to `next` makes, for the alert. A stored automatic
 * state that expired unnoticed ended on its own: that "off" comes before a new "on".
 */
export function transitionsOf(
  previous: ReadOnlyState,
  next: ReadOnlyState,
  now: Date,
): ReadOnlyTransition[] {
  const transitions: ReadOnlyTransition[] = [];
  const wasOn = isOn(previous, now);
  if (previous.enabled && !wasOn) transitions.push({ turned: 'off', previous, why: 'expired' });
  if (wasOn && !isOn(next, now)) {
    transitions.push({ turned: 'off', previous, why: 'switched off' });
  }
  if (!wasOn && isOn(next, now)) transitions.push({ turned: 'on', state: next });
  return transitions;
}

/** Seconds a refused client should wait: until automatic mode ends, else a minute as a hint. */
export function retryAfterSecondsOf(state: ReadOnlyOn, now: Date): number {
  if (state.expiresAt === undefined) return 60;
  return Math.max(1, Math.ceil((Date.parse(state.expiresAt) - now.getTime()) / 1000));
}
