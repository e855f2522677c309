import { PLATFORM_ID_PATTERN, isPlatformId } from './platform-id';

describe(isPlatformId.name, () => {
  const sut = isPlatformId;

  it.each([
    '1',
    '9001',
    'SO-2026-000123',
    'so-2026-000123',
    '3f2b8c1e-6a4d-4f1b-9c3e-2a7d5e8f9b10',
    'shop:eu.order_7',
    'x'.repeat(64),
  ])('accepts %s', (id) => {
    expect(sut(id)).toBe(true);
  });

  it.each([
    '',
    'a b',
    ' SO-1',
    'SO-1\n',
    'x'.repeat(65),
    'ord/1',
    'ordre#1',
    'zamówienie',
    1,
    null,
  ])('refuses %p', (id) => {
    expect(sut(id)).toBe(false);
  });

  it('is the pattern the schemas publish', () => {
    expect(PLATFORM_ID_PATTERN.source).toBe('^[A-Za-z0-9._:-]{1,64}$');
  });
});
