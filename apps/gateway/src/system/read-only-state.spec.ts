import {
  READ_ONLY_OFF,
  effectiveState,
  isOn,
  parseReadOnlyState,
  retryAfterSecondsOf,
  switchedByAdmin,
  switchedByUnwritableDatabase,
  transitionsOf,
} from './read-only-state';
import type { ReadOnlyOn } from './read-only-state';

const now = new Date('2026-11-25T08:00:00.000Z');
const later = (seconds: number): Date => new Date(now.getTime() + seconds * 1000);

const adminOn: ReadOnlyOn = {
  enabled: true,
  source: 'admin',
  reason: 'failover drill',
  since: '2026-11-25T07:00:00.000Z',
  by: '9001',
};
const automaticOn: ReadOnlyOn = {
  enabled: true,
  source: 'automatic',
  reason: 'point-service reports its primary database unwritable',
  since: '2026-11-25T07:59:00.000Z',
  by: 'point-service',
  expiresAt: '2026-11-25T08:00:30.000Z',
};

describe(isOn.name, () => {
  it('is on for an admin state, which has no end', () => {
    expect(isOn(adminOn, later(86_400))).toBe(true);
  });

  it('is on for an automatic state until it expires, and off from then on', () => {
    expect(isOn(automaticOn, later(29))).toBe(true);
    expect(isOn(automaticOn, later(30))).toBe(false);
  });

  it('is off when switched off', () => {
    expect(isOn(READ_ONLY_OFF, now)).toBe(false);
  });
});

describe(effectiveState.name, () => {
  it('shows an expired automatic state as off', () => {
    expect(effectiveState(automaticOn, later(31))).toEqual({ enabled: false });
  });

  it('shows a live state as it is', () => {
    expect(effectiveState(automaticOn, now)).toBe(automaticOn);
  });
});

describe(parseReadOnlyState.name, () => {
  it('reads back what was stored', () => {
    expect(parseReadOnlyState(JSON.stringify(automaticOn))).toEqual(automaticOn);
  });

  it.each([
    ['no key', null],
    ['not JSON', '{oops'],
    ['an unknown source', JSON.stringify({ ...adminOn, source: 'cron' })],
    ['a missing since', JSON.stringify({ ...adminOn, since: undefined })],
    ['a non-string expiry', JSON.stringify({ ...automaticOn, expiresAt: 5 })],
    ['a JSON null', 'null'],
  ])('treats %s as off, so a bad value never blocks writes', (_name, raw) => {
    expect(parseReadOnlyState(raw)).toEqual({ enabled: false });
  });
});

describe(switchedByAdmin.name, () => {
  it('switches on from off with the reason, the admin and now as since', () => {
    expect(
      switchedByAdmin(READ_ONLY_OFF, { enabled: true, reason: 'migration', by: '7' }, now),
    ).toEqual({
      enabled: true,
      source: 'admin',
      reason: 'migration',
      since: now.toISOString(),
      by: '7',
    });
  });

  it('names a default reason when the admin gives none', () => {
    const state = switchedByAdmin(READ_ONLY_OFF, { enabled: true, by: '7' }, now);

    expect(state).toMatchObject({ reason: 'switched on by an administrator' });
  });

  it('takes over automatic mode: keeps since, drops the expiry', () => {
    const state = switchedByAdmin(automaticOn, { enabled: true, by: '7' }, now);

    expect(state).toEqual({
      enabled: true,
      source: 'admin',
      reason: 'switched on by an administrator',
      since: automaticOn.since,
      by: '7',
    });
  });

  it('switches off whoever switched on', () => {
    expect(switchedByAdmin(automaticOn, { enabled: false, by: '7' }, now)).toEqual({
      enabled: false,
    });
    expect(switchedByAdmin(adminOn, { enabled: false, by: '7' }, now)).toEqual({
      enabled: false,
    });
  });
});

describe(switchedByUnwritableDatabase.name, () => {
  it('switches on automatically, naming the service, until the window ends', () => {
    expect(switchedByUnwritableDatabase(READ_ONLY_OFF, 'member', now, 60)).toEqual({
      enabled: true,
      source: 'automatic',
      reason: 'member-service reports its primary database unwritable',
      since: now.toISOString(),
      by: 'member-service',
      expiresAt: later(60).toISOString(),
    });
  });

  it('extends a running automatic mode from the new report, keeping since', () => {
    const state = switchedByUnwritableDatabase(automaticOn, 'member', now, 60);

    expect(state).toMatchObject({
      since: automaticOn.since,
      by: 'member-service',
      expiresAt: later(60).toISOString(),
    });
  });

  it('starts afresh after an expired automatic mode', () => {
    const state = switchedByUnwritableDatabase(automaticOn, 'event', later(40), 60);

    expect(state).toMatchObject({ since: later(40).toISOString(), by: 'event-service' });
  });

  it("leaves an admin's mode as it is", () => {
    expect(switchedByUnwritableDatabase(adminOn, 'point', now, 60)).toBe(adminOn);
  });
});

describe(transitionsOf.name, () => {
  it('reports on when switched on from off', () => {
    expect(transitionsOf(READ_ONLY_OFF, adminOn, now)).toEqual([{ turned: 'on', state: adminOn }]);
  });

  it('reports off when switched off', () => {
    expect(transitionsOf(adminOn, READ_ONLY_OFF, now)).toEqual([
      { turned: 'off', previous: adminOn, why: 'switched off' },
    ]);
  });

  it('reports nothing while the mode stays on, whoever holds it', () => {
    expect(transitionsOf(automaticOn, adminOn, now)).toEqual([]);
    expect(
      transitionsOf(automaticOn, { ...automaticOn, expiresAt: later(90).toISOString() }, now),
    ).toEqual([]);
  });

  it('reports nothing while the mode stays off', () => {
    expect(transitionsOf(READ_ONLY_OFF, READ_ONLY_OFF, now)).toEqual([]);
  });

  it('reports an expired automatic mode as ended when it is cleared', () => {
    expect(transitionsOf(automaticOn, READ_ONLY_OFF, later(31))).toEqual([
      { turned: 'off', previous: automaticOn, why: 'expired' },
    ]);
  });

  it('reports the end of an unnoticed expiry before the next start', () => {
    const next = switchedByUnwritableDatabase(automaticOn, 'member', later(40), 60);

    expect(transitionsOf(automaticOn, next, later(40))).toEqual([
      { turned: 'off', previous: automaticOn, why: 'expired' },
      { turned: 'on', state: next },
    ]);
  });
});

describe(retryAfterSecondsOf.name, () => {
  it('is the time left of automatic mode, rounded up', () => {
    expect(retryAfterSecondsOf(automaticOn, new Date(now.getTime() + 500))).toBe(30);
  });

  it('is at least a second', () => {
    expect(retryAfterSecondsOf(automaticOn, later(30))).toBe(1);
  });

  it("is a minute for an admin's mode, which has no end", () => {
    expect(retryAfterSecondsOf(adminOn, now)).toBe(60);
  });
});
