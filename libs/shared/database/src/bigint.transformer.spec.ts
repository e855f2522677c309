import { bigintToNumber, bigintTransformer } from './bigint.transformer';

describe(bigintToNumber.name, () => {
  const sut = bigintToNumber;

  it('turns the string mysql2 returns into a number', () => {
    expect(sut('0')).toBe(0);
    expect(sut('42')).toBe(42);
    expect(sut('-42')).toBe(-42);
    expect(sut('9007199254740991')).toBe(Number.MAX_SAFE_INTEGER);
    expect(sut('-9007199254740991')).toBe(Number.MIN_SAFE_INTEGER);
  });

  it('passes numbers through', () => {
    expect(sut(7)).toBe(7);
  });

  it('passes null and undefined through as null', () => {
    expect(sut(null)).toBeNull();
    expect(sut(undefined)).toBeNull();
  });

  it.each(['9007199254740992', '9007199254740993', '-9007199254740993', '18446744073709551615'])(
    'refuses %p, which is past 2^53',
    (value) => {
      expect(() => sut(value)).toThrow(RangeError);
    },
  );

  it.each(['1.5', 'abc', 2 ** 53, 1.5, Number.NaN])(
    'refuses %p, which is not a safe integer',
    (value) => {
      expect(() => sut(value)).toThrow(RangeError);
    },
  );
});

describe('bigintTransformer', () => {
  const sut = bigintTransformer;

  it('reads strings as numbers and null as null', () => {
    expect(sut.from('123')).toBe(123);
    expect(sut.from(null)).toBeNull();
  });

  it('writes safe integers, null and undefined unchanged', () => {
    expect(sut.to(123)).toBe(123);
    expect(sut.to(-123)).toBe(-123);
    expect(sut.to(Number.MAX_SAFE_INTEGER)).toBe(Number.MAX_SAFE_INTEGER);
    expect(sut.to(null)).toBeNull();
    expect(sut.to(undefined)).toBeUndefined();
  });

  it.each([2 ** 53, -(2 ** 53), 2 ** 60, 1.5, Number.NaN])('refuses to write %p', (value) => {
    expect(() => sut.to(value)).toThrow(RangeError);
  });

  it('refuses to read a value past 2^53', () => {
    expect(() => sut.from('9007199254740993')).toThrow(RangeError);
  });
});
