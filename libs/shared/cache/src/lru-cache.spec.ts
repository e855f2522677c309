import { LruCache } from './lru-cache';

describe(LruCache.name, () => {
  let now: number;
  const clock = (): number => now;

  beforeEach(() => {
    now = 1_000;
  });

  it('returns what was set until the TTL has passed', () => {
    const sut = new LruCache<string>({ maxEntries: 10, ttlMs: 500, now: clock });
    sut.set('a', 'A');

    now += 499;
    expect(sut.get('a')).toBe('A');
    now += 1;
    expect(sut.get('a')).toBeUndefined();
    expect(sut.size).toBe(0);
  });

  it('expires with jest fake timers on the default clock', () => {
    jest.useFakeTimers();
    try {
      const sut = new LruCache<string>({ maxEntries: 10, ttlMs: 30_000 });
      sut.set('a', 'A');
      jest.advanceTimersByTime(29_999);
      expect(sut.get('a')).toBe('A');
      jest.advanceTimersByTime(1);
      expect(sut.get('a')).toBeUndefined();
    } finally {
      jest.useRealTimers();
    }
  });

  it('keeps a shorter per-entry TTL and caps a longer one at the default', () => {
    const sut = new LruCache<string>({ maxEntries: 10, ttlMs: 500, now: clock });
    sut.set('short', 'S', 100);
    sut.set('long', 'L', 10_000);

    now += 100;
    expect(sut.get('short')).toBeUndefined();
    expect(sut.get('long')).toBe('L');
    now += 400;
    expect(sut.get('long')).toBeUndefined();
  });

  it('does not store an entry whose TTL is zero', () => {
    const sut = new LruCache<string>({ maxEntries: 10, ttlMs: 500, now: clock });
    sut.set('a', 'A');
    sut.set('a', 'B', 0);

    expect(sut.get('a')).toBeUndefined();
  });

  it('evicts the least recently used entry when full', () => {
    const sut = new LruCache<string>({ maxEntries: 3, ttlMs: 500, now: clock });
    sut.set('a', 'A');
    sut.set('b', 'B');
    sut.set('c', 'C');
    expect(sut.get('a')).toBe('A'); // now b is the least recently used

    sut.set('d', 'D');

    expect(sut.get('b')).toBeUndefined();
    expect(sut.get('a')).toBe('A');
    expect(sut.get('c')).toBe('C');
    expect(sut.get('d')).toBe('D');
  });

  it('counts a re-set key as recently used', () => {
    const sut = new LruCache<string>({ maxEntries: 2, ttlMs: 500, now: clock });
    sut.set('a', 'A');
    sut.set('b', 'B');
    sut.set('a', 'A2');

    sut.set('c', 'C');

    expect(sut.get('a')).toBe('A2');
    expect(sut.get('b')).toBeUndefined();
  });

  it('never holds more than maxEntries', () => {
    const sut = new LruCache<number>({ maxEntries: 100, ttlMs: 500, now: clock });
    for (let i = 0; i < 1_000; i += 1) sut.set(String(i), i);

    expect(sut.size).toBe(100);
    expect(sut.get('899')).toBeUndefined();
    expect(sut.get('900')).toBe(900);
    expect(sut.get('999')).toBe(999);
  });

  it('deletes and clears', () => {
    const sut = new LruCache<string>({ maxEntries: 10, ttlMs: 500, now: clock });
    sut.set('a', 'A');
    sut.set('b', 'B');

    expect(sut.delete('a')).toBe(true);
    expect(sut.get('a')).toBeUndefined();
    sut.clear();
    expect(sut.size).toBe(0);
  });

  it('rejects a size bound or TTL that cannot work', () => {
    expect(() => new LruCache({ maxEntries: 0, ttlMs: 1 })).toThrow(/maxEntries/);
    expect(() => new LruCache({ maxEntries: 1.5, ttlMs: 1 })).toThrow(/maxEntries/);
    expect(() => new LruCache({ maxEntries: 1, ttlMs: 0 })).toThrow(/ttlMs/);
  });
});
