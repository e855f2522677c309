import { HIT_RATIO_WINDOW_MINUTES, RecentHitRatio } from './recent-hit-ratio';

const MINUTE = 60_000;
const start = Date.UTC(2025, 0, 1, 12, 0, 0);

describe(RecentHitRatio.name, () => {
  it('has no ratio before any read', () => {
    const sut = new RecentHitRatio();

    expect(sut.ratio(start)).toBeUndefined();
  });

  it('divides the hits by the reads of the window', () => {
    const sut = new RecentHitRatio();
    for (const hit of [true, true, true, false]) sut.record(hit, start);
    sut.record(false, start + MINUTE);

    expect(sut.ratio(start + MINUTE)).toBe(3 / 5);
  });

  it('forgets the minutes that left the window', () => {
    const sut = new RecentHitRatio();
    sut.record(false, start);
    sut.record(true, start + MINUTE);
    const firstMinuteGone = start + HIT_RATIO_WINDOW_MINUTES * MINUTE;

    expect(sut.ratio(firstMinuteGone - 1)).toBe(1 / 2);
    expect(sut.ratio(firstMinuteGone)).toBe(1);
  });

  it('has no ratio again once the cache has been idle for the whole window', () => {
    const sut = new RecentHitRatio();
    sut.record(true, start);

    expect(sut.ratio(start + HIT_RATIO_WINDOW_MINUTES * MINUTE)).toBeUndefined();
  });
});
