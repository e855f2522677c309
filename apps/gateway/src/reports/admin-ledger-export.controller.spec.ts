import { ErrorCode, LEDGER_EXPORT_PAGE_MAX, PointRpc } from '@member-system/contracts';
import type { Actor, LedgerExportPage, LedgerExportRow } from '@member-system/contracts';
import { AppException } from '@member-system/shared/errors';
import type { RpcClient } from '@member-system/shared/messaging';
import { AdminLedgerExportController } from './admin-reports.controller';

const finance: Actor = { userId: '9', roles: ['admin'], perms: ['reports:read'] };
const period = { from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z' };

function row(id: number): LedgerExportRow {
  return {
    transactionId: String(id),
    memberId: '42',
    createdAt: '2026-11-02T00:00:00.000Z',
    type: 'earn',
    source: 'order',
    sourceId: `SO-${id}`,
    points: id,
    balanceAfter: id,
    note: null,
  };
}

describe(AdminLedgerExportController.name, () => {
  let send: jest.Mock;
  let sut: AdminLedgerExportController;

  beforeEach(() => {
    send = jest.fn();
    sut = new AdminLedgerExportController({ send } as unknown as RpcClient);
  });

  it('reads at most one page ahead of what the client has taken', async () => {
    const pages: LedgerExportPage[] = [
      { rows: [row(1), row(2)], nextCursor: 'c1' },
      { rows: [row(3)], nextCursor: 'c2' },
      { rows: [], nextCursor: null },
    ];
    send.mockImplementation(() => Promise.resolve(pages.shift()));

    const file = await sut.ledgerExport(finance, { ...period, memberId: '42' });
    const stream = file.getStream();
    const chunks: string[] = [];
    const iterator = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
    const next = async (): Promise<void> => {
      const { value } = await iterator.next();
      chunks.push(String(value));
    };

    await next(); // the header
    expect(send).toHaveBeenCalledTimes(1); // the first page, fetched before answering
    await next(); // the first page
    expect(send.mock.calls.length).toBeLessThanOrEqual(2);
    await next(); // the second page
    expect(send).toHaveBeenNthCalledWith(
      2,
      'point',
      PointRpc.ledgerExportPage,
      expect.objectContaining({
        data: { ...period, memberId: '42', limit: LEDGER_EXPORT_PAGE_MAX, cursor: 'c1' },
      }),
    );
    await next(); // the last, empty page
    await expect(iterator.next()).resolves.toMatchObject({ done: true });
    expect(send).toHaveBeenCalledTimes(3);
    expect(chunks.join('').split('\r\n')).toEqual([
      'transaction_id,member_id,created_at,type,source,source_id,points,balance_after,note',
      '1,42,2026-11-02T00:00:00.000Z,earn,order,SO-1,1,1,',
      '2,42,2026-11-02T00:00:00.000Z,earn,order,SO-2,2,2,',
      '3,42,2026-11-02T00:00:00.000Z,earn,order,SO-3,3,3,',
      '',
    ]);
    expect(file.getHeaders()).toMatchObject({
      type: 'text/csv; charset=utf-8',
      disposition: 'attachment; filename="ledger-20261101T000000-20261201T000000.csv"',
    });
  });

  it('answers the first page’s failure as the error it is, before any byte of the file', async () => {
    send.mockRejectedValue(new AppException(ErrorCode.ServiceUnavailable, 'point is down'));

    await expect(sut.ledgerExport(finance, period)).rejects.toMatchObject({
      code: ErrorCode.ServiceUnavailable,
    });
  });

  it('refuses a period that does not move forward', async () => {
    await expect(
      sut.ledgerExport(finance, { from: period.to, to: period.from }),
    ).rejects.toMatchObject({ code: ErrorCode.ValidationFailed });
    expect(send).not.toHaveBeenCalled();
  });
});
