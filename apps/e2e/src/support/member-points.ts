// A test member's points through the gateway: their balance, history, and admin credits.
import type { BalanceView, Page, PointTransactionView } from '@member-system/contracts';
import { waitFor } from '@member-system/shared/testing';
import { api, token } from './api';

/** A registered member and the token they call with. */
export interface Member {
  userId: string;
  memberId: string;
  bearer: string;
}

const pointsAdmin = token({ sub: '1', roles: ['admin'], perms: ['points:adjust'] });

export async function balanceOf(member: Member): Promise<BalanceView> {
  return (await api<BalanceView>('GET', '/api/v1/points/me/balance', { token: member.bearer }))
    .body;
}

/** Waits until the member's balance shows every field of `expected`; that balance. */
export async function balanceReaches(
  member: Member,
  expected: Partial<BalanceView>,
  what: string,
): Promise<BalanceView> {
  return waitFor(
    async () => {
      const balance = await balanceOf(member);
      const reached = Object.entries(expected).every(
        ([field, value]) => balance[field as keyof BalanceView] === value,
      );
      return reached ? balance : false;
    },
    { timeoutMs: 15_000, intervalMs: 100, what },
  );
}

/** The member's last 100 history rows, newest first. */
export async function history(member: Member): Promise<PointTransactionView[]> {
  const page = await api<Page<PointTransactionView>>(
    'GET',
    '/api/v1/points/me/transactions?limit=100',
    { token: member.bearer },
  );
  expect(page.status).toBe(200);
  return page.body.items;
}

/** Credits `points` by an admin adjustment. */
export async function credit(member: Member, points: number): Promise<void> {
  const adjusted = await api('POST', `/api/v1/admin/members/${member.memberId}/points/adjust`, {
    token: pointsAdmin,
    body: { points, reasonCode: 'TEST_CREDIT' },
  });
  expect(adjusted.status).toBe(200);
}
