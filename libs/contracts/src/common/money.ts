/** Money travels as a decimal string with two places ("199.00") and is computed in integer cents. */
export const MONEY_PATTERN = /^(0|[1-9]\d{0,13})\.\d{2}$/;

export function formatCents(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`${cents} is not a whole number of cents`);
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

export function parseMoney(value: string): number {
  if (!MONEY_PATTERN.test(value)) throw new RangeError(`"${value}" is not an amount like 199.00`);
  const [yuan = '0', fen = '00'] = value.split('.');
  const cents = Number(yuan) * 100 + Number(fen);
  if (!Number.isSafeInteger(cents)) throw new RangeError(`"${value}" is too large an amount`);
  return cents;
}
