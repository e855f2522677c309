import { formatCents, parseMoney } from './money';

describe(formatCents.name, () => {
  const sut = formatCents;

  it('writes whole cents as a decimal string with two places', () => {
    expect(sut(0)).toBe('0.00');
    expect(sut(5)).toBe('0.05');
    expect(sut(50)).toBe('0.50');
    expect(sut(19900)).toBe('199.00');
    expect(sut(123456789)).toBe('1234567.89');
  });

  it('puts the sign in front of negative amounts', () => {
    expect(sut(-5)).toBe('-0.05');
    expect(sut(-150)).toBe('-1.50');
    expect(sut(-19900)).toBe('-199.00');
  });

  it('formats the largest safe integer without losing digits', () => {
    expect(sut(Number.MAX_SAFE_INTEGER)).toBe('90071992547409.91');
  });

  it.each([1.5, Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER + 1, -(2 ** 60)])(
    'refuses %p, which is not a safe whole number of cents',
    (cents) => {
      expect(() => sut(cents)).toThrow(RangeError);
    },
  );
});

describe(parseMoney.name, () => {
  const sut = parseMoney;

  it('reads a decimal string with two places as integer cents', () => {
    expect(sut('0.00')).toBe(0);
    expect(sut('0.05')).toBe(5);
    expect(sut('199.00')).toBe(19900);
    expect(sut('1234567.89')).toBe(123456789);
  });

  it.each([0, 1, 99, 100, 19900, 123456789, Number.MAX_SAFE_INTEGER])(
    'round-trips %p cents through formatCents',
    (cents) => {
      expect(sut(formatCents(cents))).toBe(cents);
    },
  );

  it('rejects negative amounts, which never arrive as money', () => {
    expect(() => sut('-1.50')).toThrow(RangeError);
  });

  it.each([
    '1.5',
    '1',
    '1.',
    '.50',
    '1.000',
    '01.00',
    '00.00',
    'abc',
    '1e3',
    '1e3.00',
    '+1.00',
    ' 1.00',
    '1.00 ',
    '1,000.00',
    '0x10.00',
    '',
    '123456789012345.00',
  ])('rejects %p', (value) => {
    expect(() => sut(value)).toThrow(RangeError);
  });

  it('accepts the largest amount that is still a safe integer of cents', () => {
    expect(sut('90071992547409.91')).toBe(Number.MAX_SAFE_INTEGER);
  });

  // MONEY_PATTERN allows 14 digits of yuan, which reaches past 2^53 cents.
  it.each(['90071992547409.92', '99999999999999.99'])(
    'rejects %p, whose cents would not be a safe integer',
    (value) => {
      expect(() => sut(value)).toThrow(RangeError);
    },
  );
});
