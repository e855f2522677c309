import { LevelLadder } from './level-ladder';
import { decideLevel } from './level-policy';

const defaults = [
  { id: 1, name: 'Regular', minTotalSpentCents: 0 },
  { id: 2, name: 'Silver', minTotalSpentCents: 100_000 },
  { id: 3, name: 'Gold', minTotalSpentCents: 500_000 },
  { id: 4, name: 'Platinum', minTotalSpentCents: 2_000_000 },
  { id: 5, name: 'Diamond', minTotalSpentCents: 5_000_000 },
];

describe(LevelLadder.name, () => {
  const sut = new LevelLadder(defaults);

  it.each([
    [0, 1],
    [99_999, 1],
    [100_000, 2],
    [499_999, 2],
    [500_000, 3],
    [4_999_999, 4],
    [5_000_000, 5],
    [900_000_000, 5],
  ])('puts a spend of %i cents on level %i', (spend, level) => {
    expect(sut.levelFor(spend).id).toBe(level);
  });

  it('names the next level, and none above the top', () => {
    expect(sut.next(2)?.id).toBe(3);
    expect(sut.next(5)).toBeUndefined();
  });

  it('refuses a ladder that does not start at 0 or whose thresholds do not rise', () => {
    expect(() => new LevelLadder([{ id: 1, name: 'A', minTotalSpentCents: 1 }])).toThrow(
      /start at 0/,
    );
    expect(
      LevelLadder.problemWith([...defaults, { id: 6, name: 'X', minTotalSpentCents: 5_000_000 }]),
    ).toMatch(/level 6 must need more spend than level 5/);
    expect(LevelLadder.problemWith([])).toMatch(/at least one/);
    expect(LevelLadder.problemWith(defaults)).toBeUndefined();
  });
});

describe(decideLevel.name, () => {
  const ladder = new LevelLadder(defaults);

  it('upgrades at once under either policy', () => {
    for (const policy of ['never', 'immediate'] as const) {
      expect(
        decideLevel(ladder, { currentLevelId: 1, earnedLevelId: 3, floorLevelId: null, policy }),
      ).toBe(3);
    }
  });

  it('keeps the level reached under `never` and follows spend down under `immediate`', () => {
    const input = { currentLevelId: 3, earnedLevelId: 2, floorLevelId: null };
    expect(decideLevel(ladder, { ...input, policy: 'never' })).toBe(3);
    expect(decideLevel(ladder, { ...input, policy: 'immediate' })).toBe(2);
  });

  it("never goes below an admin's floor, yet rises above it with spend", () => {
    expect(
      decideLevel(ladder, {
        currentLevelId: 4,
        earnedLevelId: 1,
        floorLevelId: 3,
        policy: 'immediate',
      }),
    ).toBe(3);
    expect(
      decideLevel(ladder, {
        currentLevelId: 3,
        earnedLevelId: 5,
        floorLevelId: 3,
        policy: 'immediate',
      }),
    ).toBe(5);
  });

  it('does not keep a level that was removed from the ladder', () => {
    const smaller = new LevelLadder(defaults.slice(0, 3));
    expect(
      decideLevel(smaller, {
        currentLevelId: 5,
        earnedLevelId: 2,
        floorLevelId: null,
        policy: 'never',
      }),
    ).toBe(2);
  });
});
