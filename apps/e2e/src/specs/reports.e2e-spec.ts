import type {
  LiabilityMonth,
  MemberView,
  PointTransactionView,
  PointsLiabilityReport,
  PointsMonthlyReport,
  TopEarningSourcesReport,
} from '@member-system/contracts';
import {
  allPages,
  api,
  expectError,
  memberToken,
  nextUserId,
  token,
  waitForBalance,
} from '../support/api';
import { runToEnd } from '../support/admin-jobs';
import type { Member } from '../support/member-points';

const reports = token({ sub: '1', roles: ['admin'], perms: ['reports:read', 'members:read'] });
const pointsAdmin = token({ sub: '1', roles: ['admin'], perms: ['points:adjust'] });
const systemAdmin = token({ sub: '2', roles: ['admin'], perms: ['system:write'] });
/** A note a spreadsheet would run as a formula, with a comma, quotes and a line break. */
const TRICKY_NOTE = '=HYPERLINK("http://x.test","click"), then\nsay "hi"';

async function newMember(): Promise<Member> {
  const userId = nextUserId();
  const bearer = memberToken(userId);
  const registered = await api<MemberView>('POST', '/api/v1/members', { token: bearer, body: {} });
  await waitForBalance(bearer);
  return { userId, memberId: String(registered.body.id), bearer };
}

async function adjust(member: Member, points: number, note?: string): Promise<void> {
  const response = await api('POST', `/api/v1/admin/members/${member.memberId}/points/adjust`, {
    token: pointsAdmin,
    body: { points, reasonCode: 'REPORT_TEST', ...(note ? { note } : {}) },
  });
  expect(response.status).toBe(200);
}

async function get<T>(path: string): Promise<T> {
  const response = await api<T>('GET', path, { token: reports });
  if (response.status !== 200) throw new Error(`GET ${path}: ${response.status} ${response.text}`);
  return response.body;
}

/** RFC 4180 rows: quoted cells with doubled quotes and line breaks inside, CRLF between rows. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index] as string;
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        cell += '"';
        index += 1;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(cell);
      cell = '';
    } else if (char === '\r' && text[index + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      index += 1;
    } else cell += char;
  }
  expect(cell === '' && row.length === 0).toBe(true);
  return rows;
}

/** The CSV rows as objects keyed by the header; fails unless the answer is a CSV attachment. */
async function csvOf(path: string): Promise<Array<Record<string, string>>> {
  const response = await api('GET', path, { token: reports });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
  expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename=".+\.csv"$/);
  const [header, ...rows] = parseCsv(response.text);
  return rows.map((row) =>
    Object.fromEntries((header ?? []).map((name, i) => [name, row[i] ?? ''])),
  );
}

/** A decimal string as an integer of 10^-scale units, to compare money exactly. */
function units(decimal: string, scale: number): bigint {
  const [whole = '0', fraction = ''] = decimal.split('.');
  return BigInt(whole + fraction.padEnd(scale, '0'));
}

function month(report: PointsLiabilityReport, name: string): LiabilityMonth {
  return report.months.find((row) => row.month === name) ?? { month: name, points: 0, value: '0' };
}

const thisMonth = (): string => new Date().toISOString().slice(0, 7);

describe('points reports and the ledger export', () => {
  it('reports liability, monthly figures and top sources that follow the ledger, in JSON and CSV', async () => {
    const ann = await newMember();
    const bob = await newMember();
    const now = thisMonth();
    const monthly = `/api/v1/admin/reports/points-monthly?from=${now}&to=${now}`;
    const sources = `/api/v1/admin/reports/top-earning-sources?from=${now}&to=${now}&limit=100`;
    const liabilityBefore = await get<PointsLiabilityReport>(
      '/api/v1/admin/reports/points-liability',
    );
    const monthlyBefore = await get<PointsMonthlyReport>(monthly);
    const sourcesBefore = await get<TopEarningSourcesReport>(sources);

    await adjust(ann, 1000, TRICKY_NOTE);
    await adjust(bob, 300);
    const spent = await api('POST', '/api/v1/points/me/use', {
      token: ann.bearer,
      body: { points: 250, orderId: `RPT-${ann.userId}`, reason: TRICKY_NOTE },
    });
    expect(spent.status).toBe(200);

    const liability = await get<PointsLiabilityReport>('/api/v1/admin/reports/points-liability');
    const scale = (liability.pointValue.split('.')[1] ?? '').length;
    // Each month and the total are points × pointValue exactly, and the months add up.
    for (const row of liability.months) {
      expect(units(row.value, scale)).toBe(BigInt(row.points) * units(liability.pointValue, scale));
    }
    expect(liability.months.reduce((sum, row) => sum + row.points, 0)).toBe(liability.totalPoints);
    expect(units(liability.totalValue, scale)).toBe(
      BigInt(liability.totalPoints) * units(liability.pointValue, scale),
    );
    // What is left of the two lots (750 + 300) is owed in the month they expire.
    const [annCredit] = (
      await allPages<PointTransactionView>(
        `/api/v1/admin/members/${ann.memberId}/points/transactions?type=adjust`,
        reports,
      )
    ).items;
    const expiryMonth = String(annCredit?.expiresAt).slice(0, 7);
    expect(liability.totalPoints - liabilityBefore.totalPoints).toBe(1050);
    expect(month(liability, expiryMonth).points - month(liabilityBefore, expiryMonth).points).toBe(
      1050,
    );

    const monthlyAfter = await get<PointsMonthlyReport>(monthly);
    const [before] = monthlyBefore.months;
    const [after] = monthlyAfter.months;
    expect(after?.month).toBe(now);
    expect((after?.issued ?? 0) - (before?.issued ?? 0)).toBe(1300);
    expect((after?.used ?? 0) - (before?.used ?? 0)).toBe(250);

    const sourcesAfter = await get<TopEarningSourcesReport>(sources);
    const adjustment = (report: TopEarningSourcesReport) =>
      report.sources.find((row) => row.source === 'adjustment') ?? { points: 0, count: 0 };
    expect(adjustment(sourcesAfter).points - adjustment(sourcesBefore).points).toBe(1300);
    expect(adjustment(sourcesAfter).count - adjustment(sourcesBefore).count).toBe(2);
    const points = sourcesAfter.sources.map((row) => row.points);
    expect(points).toEqual([...points].sort((a, b) => b - a));

    // Expire Ann's lot (and any other lot due by then): the report follows the job exactly.
    const run = await runToEnd('/api/v1/admin/jobs/expire-points/run', {
      token: systemAdmin,
      body: { asOf: new Date(Date.parse(String(annCredit?.expiresAt)) + 60_000).toISOString() },
    });
    const expiredPoints = (run.result as { result: { expiredPoints: number } }).result
      .expiredPoints;
    expect(expiredPoints).toBeGreaterThanOrEqual(1050);
    const liabilityExpired = await get<PointsLiabilityReport>(
      '/api/v1/admin/reports/points-liability',
    );
    expect(liability.totalPoints - liabilityExpired.totalPoints).toBe(expiredPoints);
    expect(month(liabilityExpired, expiryMonth).points).toBe(0);
    const monthlyExpired = await get<PointsMonthlyReport>(monthly);
    const [expired] = monthlyExpired.months;
    expect((expired?.expired ?? 0) - (after?.expired ?? 0)).toBe(expiredPoints);
    expect(expired?.breakageRate).toBe(ratio(expired?.expired ?? 0, expired?.issued ?? 0));
    expect(expired?.redemptionRate).toBe(ratio(expired?.used ?? 0, expired?.issued ?? 0));

    // Each report's CSV says what its JSON says.
    const liabilityCsv = await csvOf('/api/v1/admin/reports/points-liability?format=csv');
    expect(liabilityCsv).toEqual([
      ...liabilityExpired.months.map((row) => ({
        month: row.month,
        points: String(row.points),
        value: row.value,
        currency: liabilityExpired.currency,
      })),
      {
        month: 'total',
        points: String(liabilityExpired.totalPoints),
        value: liabilityExpired.totalValue,
        currency: liabilityExpired.currency,
      },
    ]);
    expect(await csvOf(`${monthly}&format=csv`)).toEqual(
      monthlyExpired.months.map((row) => ({
        month: row.month,
        issued: String(row.issued),
        used: String(row.used),
        expired: String(row.expired),
        breakage_rate: row.breakageRate ?? '',
        redemption_rate: row.redemptionRate ?? '',
      })),
    );
    const sourcesNow = await get<TopEarningSourcesReport>(sources);
    expect(await csvOf(`${sources}&format=csv`)).toEqual(
      sourcesNow.sources.map((row) => ({
        source: row.source,
        points: String(row.points),
        count: String(row.count),
      })),
    );

    // Ann's export: her three rows, the notes intact, the formula-like one kept as text.
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 3_600_000).toISOString();
    const exported = await csvOf(
      `/api/v1/admin/points/ledger-export?memberId=${ann.memberId}&from=${from}&to=${to}`,
    );
    expect(exported.map((row) => [row['type'], row['points']])).toEqual([
      ['adjust', '1000'],
      ['use', '-250'],
      ['expire', '-750'],
    ]);
    expect(exported[0]?.['note']).toBe(`REPORT_TEST: ${TRICKY_NOTE}`);
    expect(exported[1]?.['note']).toBe(`'${TRICKY_NOTE}`);
    expect(exported[0]?.['member_id']).toBe(ann.memberId);
  });

  it('exports a member’s history of thousands of rows across pages, equal to their history', async () => {
    const carol = await newMember();
    const items = Array.from({ length: 2600 }, (_, index) => ({
      memberId: carol.memberId,
      points: (index % 7) + 1,
      source: index % 2 === 0 ? 'batch' : 'campaign',
      sourceId: `rpt-${carol.userId}-${index}`,
    }));
    const batch = await api<{ credited: number }>('POST', '/api/v1/admin/points/earn-batch', {
      token: pointsAdmin,
      body: { items },
    });
    expect(batch.status).toBe(200);
    expect(batch.body.credited).toBe(2600);

    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 3_600_000).toISOString();
    const history = (
      await allPages<PointTransactionView>(
        `/api/v1/admin/members/${carol.memberId}/points/transactions`,
        reports,
      )
    ).items.reverse();
    const asRow = (row: PointTransactionView) => ({
      transaction_id: row.id,
      member_id: carol.memberId,
      created_at: row.createdAt,
      type: row.type,
      source: row.source,
      source_id: row.sourceId,
      points: String(row.points),
      balance_after: String(row.balanceAfter),
      note: '',
    });
    const base = `/api/v1/admin/points/ledger-export?memberId=${carol.memberId}&from=${from}&to=${to}`;
    const exported = await csvOf(base);
    expect(exported).toHaveLength(2600);
    expect(exported).toEqual(history.map(asRow));
    // The whole ledger's export (in transaction id order) holds her rows too, each row once.
    const everyone = await csvOf(`/api/v1/admin/points/ledger-export?from=${from}&to=${to}`);
    const ids = everyone.map((row) => BigInt(row['transaction_id'] ?? '0'));
    expect(ids.every((id, index) => index === 0 || id > (ids[index - 1] ?? 0n))).toBe(true);
    expect(everyone.filter((row) => row['member_id'] === carol.memberId)).toEqual(
      history.map(asRow),
    );
    // The source filter keeps that source's rows only, in the same order.
    expect(await csvOf(`${base}&source=campaign`)).toEqual(
      history.filter((row) => row.source === 'campaign').map(asRow),
    );
  });

  it('refuses members, bad months, long ranges and an export without its period', async () => {
    const member = memberToken(nextUserId());
    const now = thisMonth();
    for (const path of [
      '/api/v1/admin/reports/points-liability',
      `/api/v1/admin/reports/points-monthly?from=${now}&to=${now}`,
      `/api/v1/admin/reports/top-earning-sources?from=${now}&to=${now}`,
      '/api/v1/admin/points/ledger-export?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z',
    ]) {
      expectError(await api('GET', path, { token: member }), 403, 'FORBIDDEN');
      expectError(await api('GET', path, { token: pointsAdmin }), 403, 'FORBIDDEN');
    }
    for (const path of [
      '/api/v1/admin/reports/points-monthly?from=2026-13&to=2027-01',
      '/api/v1/admin/reports/points-monthly?from=2026-1&to=2026-02',
      '/api/v1/admin/reports/points-monthly?from=2026-05&to=2026-04',
      '/api/v1/admin/reports/points-monthly?from=2023-01&to=2026-01',
      '/api/v1/admin/reports/points-monthly?to=2026-01',
      '/api/v1/admin/reports/top-earning-sources?from=2026-01&to=2026-02&limit=0',
      '/api/v1/admin/reports/points-liability?format=xlsx',
      '/api/v1/admin/points/ledger-export?to=2026-02-01T00:00:00Z',
      '/api/v1/admin/points/ledger-export?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z',
      '/api/v1/admin/points/ledger-export?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z&memberId=x',
    ]) {
      expectError(await api('GET', path, { token: reports }), 400, 'VALIDATION_FAILED');
    }
    // 36 months is the most a range may cover.
    const longest = await api<PointsMonthlyReport>(
      'GET',
      '/api/v1/admin/reports/points-monthly?from=2023-01&to=2025-12',
      { token: reports },
    );
    expect(longest.status).toBe(200);
    expect(longest.body.months).toHaveLength(36);
  });
});

/** `numerator / denominator` to 4 decimals, half up, as the reports write it. */
function ratio(numerator: number, denominator: number): string | null {
  if (denominator === 0) return null;
  const scaled = (BigInt(numerator) * 20_000n + BigInt(denominator)) / (2n * BigInt(denominator));
  return `${scaled / 10_000n}.${String(scaled % 10_000n).padStart(4, '0')}`;
}
