import { likePrefix, registeredBefore } from './search-members.handler';

describe(likePrefix.name, () => {
  const sut = likePrefix;

  it('escapes LIKE wildcards and the escape character, then matches any rest', () => {
    expect(sut('50%_off!')).toBe('50!%!_off!!%');
    expect(sut('小明')).toBe('小明%');
  });
});

describe(registeredBefore.name, () => {
  const sut = registeredBefore;

  it('includes the whole day of a bare date', () => {
    expect(sut('2026-01-31').toISOString()).toBe('2026-02-01T00:00:00.000Z');
  });

  it('includes the exact instant of a date-time', () => {
    expect(sut('2026-01-31T08:00:00+08:00').toISOString()).toBe('2026-01-31T00:00:00.001Z');
  });
});
