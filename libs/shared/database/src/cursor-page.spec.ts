import { decodeCursor, encodeCursor, toCursorPage } from './cursor-page';
import { InvalidCursorError } from './keyset';

describe(encodeCursor.name, () => {
  const key = { createdAt: new Date('2026-01-02T03:04:05.678Z'), id: '9007199254740993' };

  it('round-trips through decodeCursor, keeping milliseconds and a big id exactly', () => {
    expect(decodeCursor(encodeCursor(key))).toEqual(key);
  });

  it('is URL-safe', () => {
    expect(encodeCursor(key)).toMatch(/^[A-Za-z0-9_-]+$/);
  });
});

describe(decodeCursor.name, () => {
  const sut = decodeCursor;
  const raw = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

  it.each([
    ['garbage', '%%%'],
    ['base64 of text that is not JSON', Buffer.from('hello').toString('base64url')],
    ['an object', raw({ createdAt: '2026-01-01T00:00:00.000Z', id: '1' })],
    ['a bad date', raw(['not a date', '1'])],
    ['a date in another form', raw(['2026-01-01', '1'])],
    ['a non-numeric id', raw(['2026-01-01T00:00:00.000Z', '1 OR 1=1'])],
    ['a zero id', raw(['2026-01-01T00:00:00.000Z', '0'])],
    ['a numeric id', raw(['2026-01-01T00:00:00.000Z', 1])],
    ['nothing', ''],
  ])('refuses %s', (_name, cursor) => {
    expect(() => sut(cursor)).toThrow(InvalidCursorError);
  });
});

describe(toCursorPage.name, () => {
  const sut = toCursorPage;
  const rows = [3, 2, 1].map((n) => ({ id: String(n), createdAt: new Date(n * 1000) }));

  it('gives a cursor to the last kept row when a row beyond the limit was fetched', () => {
    const page = sut(
      rows,
      2,
      (row) => row,
      (row) => row.id,
    );

    expect(page.items).toEqual(['3', '2']);
    expect(page.nextCursor).not.toBeNull();
    expect(decodeCursor(page.nextCursor ?? '')).toEqual(rows[1]);
  });

  it('ends the list with a null cursor when nothing lies beyond the limit', () => {
    expect(
      sut(
        rows,
        3,
        (row) => row,
        (row) => row.id,
      ),
    ).toEqual({
      items: ['3', '2', '1'],
      nextCursor: null,
    });
    expect(
      sut(
        [],
        20,
        (row) => row,
        (row) => row,
      ),
    ).toEqual({ items: [], nextCursor: null });
  });
});
