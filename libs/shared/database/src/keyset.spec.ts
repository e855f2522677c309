import { ErrorCode } from '@member-system/contracts';
import { InvalidCursorError, Keyset, acceptedRows, decodeKey, encodeKey } from './keyset';

interface Lot {
  expiresAt: Date;
  id: string;
}

const soonestFirst = new Keyset<Lot>(
  [
    { column: 'expires_at', kind: 'time' },
    { column: 'id', kind: 'id' },
  ],
  'ASC',
  (lot) => [lot.expiresAt, lot.id],
);

const lot = (day: number, id: number): Lot => ({
  expiresAt: new Date(Date.UTC(2026, 0, day)),
  id: String(id),
});

describe(decodeKey.name, () => {
  const sut = decodeKey;
  const raw = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

  it('reads back what encodeKey wrote, each value as its kind', () => {
    const at = new Date('2026-01-02T03:04:05.678Z');

    expect(
      sut(encodeKey([at, '9007199254740993', 0, 'DISCOUNT']), ['time', 'id', 'count', 'text']),
    ).toEqual([at, '9007199254740993', '0', 'DISCOUNT']);
  });

  it.each([
    ['a key of another length', raw(['1', '2']), ['id']],
    ['a zero id', raw(['0']), ['id']],
    ['a negative count', raw(['-1']), ['count']],
    ['an SQL fragment as an id', raw(['1 OR 1=1']), ['id']],
    ['an empty text', raw(['']), ['text']],
    ['a text too long', raw(['x'.repeat(65)]), ['text']],
    ['a number instead of its text', raw([5]), ['count']],
    ['a date in another form', raw(['2026-01-01']), ['time']],
    ['a date beyond four-digit years', raw([new Date(8.64e15).toISOString()]), ['time']],
    ['a date before year 0', raw([new Date(-8.64e15).toISOString()]), ['time']],
  ] as const)('refuses %s', (_name, cursor, kinds) => {
    expect(() => sut(cursor, kinds)).toThrow(InvalidCursorError);
  });

  it('refuses a cursor as a 400 VALIDATION_FAILED naming the cursor', () => {
    expect(() => sut('%%%', ['id'])).toThrow(
      expect.objectContaining({
        code: ErrorCode.ValidationFailed,
        details: { fields: { cursor: ['is not a cursor from this list'] } },
      }),
    );
  });
});

describe(Keyset.name, () => {
  it('orders by every key column in the one direction', () => {
    expect(soonestFirst.orderBy).toBe('expires_at ASC, id ASC');
  });

  it('starts after the cursor: a later first column, or the same and a later id', () => {
    const sut = soonestFirst.after(soonestFirst.cursorAfter(lot(3, 7)));

    expect(sut.sql).toBe('((expires_at > ? OR (expires_at = ? AND id > ?)))');
    expect(sut.params).toEqual([lot(3, 7).expiresAt, lot(3, 7).expiresAt, '7']);
  });

  it('compares the other way round in a descending list', () => {
    const newestFirst = new Keyset<Lot>([{ column: 'id', kind: 'id' }], 'DESC', (row) => [row.id]);

    expect(newestFirst.after(encodeKey(['9'])).sql).toBe('(id < ?)');
  });

  it('keeps the limit and gives the last kept row as the cursor when there is more', () => {
    const rows = [lot(1, 1), lot(2, 2), lot(3, 3)];

    const sut = soonestFirst.page(rows, 2, (row) => row.id);

    expect(sut.items).toEqual(['1', '2']);
    expect(decodeKey(sut.nextCursor ?? '', ['time', 'id'])).toEqual([rows[1]?.expiresAt, '2']);
  });

  it('ends the list with a null cursor when nothing lies beyond the limit', () => {
    expect(soonestFirst.page([lot(1, 1)], 2, (row) => row.id)).toEqual({
      items: ['1'],
      nextCursor: null,
    });
  });
});

describe(acceptedRows.name, () => {
  /** Ids 1..n in order; `fetch` serves them after a cursor, as the SQL would. */
  const listOf = (n: number) => {
    const all = Array.from({ length: n }, (_, index) => lot(1, index + 1));
    const fetched: number[] = [];
    const fetch = (after: string | undefined, batch: number): Promise<Lot[]> => {
      const from = after === undefined ? 0 : Number(decodeKey(after, ['time', 'id'])[1]);
      const rows = all.filter((row) => Number(row.id) > from).slice(0, batch);
      fetched.push(rows.length);
      return Promise.resolve(rows);
    };
    return { fetch, fetched };
  };
  const even = (rows: Lot[]): Promise<Lot[]> =>
    Promise.resolve(rows.filter((row) => Number(row.id) % 2 === 0));

  it('fetches further batches until one row more than the limit is accepted', async () => {
    const { fetch, fetched } = listOf(20);

    const sut = await acceptedRows(soonestFirst, undefined, fetch, even, 3);

    expect(sut.map((row) => row.id)).toEqual(['2', '4', '6', '8']);
    expect(fetched).toEqual([4, 4]);
  });

  it('stops at the end of the list with what was accepted', async () => {
    const { fetch } = listOf(5);

    await expect(acceptedRows(soonestFirst, undefined, fetch, even, 3)).resolves.toEqual([
      lot(1, 2),
      lot(1, 4),
    ]);
  });

  it("starts after the client's cursor", async () => {
    const { fetch } = listOf(10);

    const sut = await acceptedRows(
      soonestFirst,
      encodeKey([lot(1, 6).expiresAt, '6']),
      fetch,
      even,
      5,
    );

    expect(sut.map((row) => row.id)).toEqual(['8', '10']);
  });
});
