import { LocalWindowCounter } from './local-window-counter';

describe(LocalWindowCounter.name, () => {
  const start = 1_000_000;

  it('counts each key in a window that starts with its first request', () => {
    const sut = new LocalWindowCounter(60_000);

    expect(sut.count(['a', 'b'], start)).toEqual([
      { count: 1, ttlMs: 60_000 },
      { count: 1, ttlMs: 60_000 },
    ]);
    expect(sut.count(['a'], start + 10_000)).toEqual([{ count: 2, ttlMs: 50_000 }]);
  });

  it('starts a new window once the last one ended', () => {
    const sut = new LocalWindowCounter(60_000);
    sut.count(['a'], start);
    sut.count(['a'], start + 1);

    expect(sut.count(['a'], start + 60_000)).toEqual([{ count: 1, ttlMs: 60_000 }]);
  });

  it('forgets the keys of ended windows', () => {
    const sut = new LocalWindowCounter(60_000);
    sut.count(['a', 'b', 'c'], start);

    sut.count(['d'], start + 60_001);

    expect(sut.size).toBe(1);
  });
});
