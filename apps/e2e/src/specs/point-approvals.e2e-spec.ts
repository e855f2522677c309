import type {
  AuditRecordView,
  Page,
  PointApprovalView,
  PointsResult,
} from '@member-system/contracts';
import { api, expectError, memberToken, nextUserId, token, waitForBalance } from '../support/api';
import { queryAppSchema } from '../support/fleet';

// Maker–checker of large adjustments, with the fleet's default threshold of 10000 points.
const THRESHOLD = 10_000;

/** Admins of their own for this run, so the audit trail's records by operator are only ours. */
const makerId = nextUserId();
const checkerId = nextUserId();
const maker = token({ sub: makerId, roles: ['admin'], perms: ['points:adjust', 'points:approve'] });
const checker = token({ sub: checkerId, roles: ['admin'], perms: ['points:approve'] });
const auditor = token({ sub: nextUserId(), roles: ['admin'], perms: ['audit:read'] });

interface Member {
  id: string;
  bearer: string;
}

async function newMember(): Promise<Member> {
  const bearer = memberToken(nextUserId());
  const registered = await api<{ id: string }>('POST', '/api/v1/members', {
    token: bearer,
    body: {},
  });
  await waitForBalance(bearer);
  return { id: registered.body.id, bearer };
}

async function availableOf(member: Member): Promise<number> {
  const balance = await api<{ available: number }>('GET', '/api/v1/points/me/balance', {
    token: member.bearer,
  });
  return balance.body.available;
}

function adjust(member: Member, points: number, headers: Record<string, string> = {}) {
  return api<PointApprovalView & PointsResult>(
    'POST',
    `/api/v1/admin/members/${member.id}/points/adjust`,
    { token: maker, body: { points, reasonCode: 'GOODWILL', note: 'Key account' }, headers },
  );
}

const review = (id: string, decision: 'approve' | 'reject', bearer: string, note?: string) =>
  api<PointApprovalView>('POST', `/api/v1/admin/point-approvals/${id}/${decision}`, {
    token: bearer,
    ...(note === undefined ? {} : { body: { note } }),
  });

async function pendingIds(): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const page: { body: Page<PointApprovalView> } = await api<Page<PointApprovalView>>(
      'GET',
      `/api/v1/admin/point-approvals?status=pending&limit=100${cursor ? `&cursor=${cursor}` : ''}`,
      { token: checker },
    );
    ids.push(...page.body.items.map((item) => item.id));
    cursor = page.body.nextCursor;
  } while (cursor);
  return ids;
}

describe('point adjustment approvals (maker–checker)', () => {
  it('applies an adjustment below the threshold at once', async () => {
    const member = await newMember();
    const adjusted = await adjust(member, THRESHOLD - 1);
    expect(adjusted.status).toBe(200);
    expect(adjusted.body).toMatchObject({ points: THRESHOLD - 1, balanceAfter: THRESHOLD - 1 });
    await expect(availableOf(member)).resolves.toBe(THRESHOLD - 1);
  });

  it('keeps a large adjustment pending until a second admin approves it, then applies it once', async () => {
    const member = await newMember();
    const requested = await adjust(member, THRESHOLD, {
      'idempotency-key': `approve-${member.id}`,
    });
    expect(requested.status).toBe(202);
    expect(requested.body).toMatchObject({
      memberId: member.id,
      points: THRESHOLD,
      reasonCode: 'GOODWILL',
      note: 'Key account',
      status: 'pending',
      requestedBy: makerId,
      reviewedBy: null,
      transactionId: null,
    });
    const { id } = requested.body;
    expect(id).toMatch(/^[1-9]\d*$/);
    await expect(availableOf(member)).resolves.toBe(0);

    // A retry with the same key is the same request, 202 again.
    const replayed = await adjust(member, THRESHOLD, { 'idempotency-key': `approve-${member.id}` });
    expect(replayed.status).toBe(202);
    expect(replayed.body.id).toBe(id);
    expect(await pendingIds()).toContain(id);

    expectError(await review(id, 'approve', maker), 403, 'APPROVAL_SELF_REVIEW');
    const memberAttempt = await review(id, 'approve', member.bearer);
    expectError(memberAttempt, 403, 'FORBIDDEN');
    const readOnlyAdmin = token({ sub: nextUserId(), roles: ['admin'], perms: ['points:adjust'] });
    expectError(await review(id, 'approve', readOnlyAdmin), 403, 'FORBIDDEN');
    await expect(availableOf(member)).resolves.toBe(0);

    const approved = await review(id, 'approve', checker, 'Ticket 8812 checked');
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      id,
      status: 'approved',
      reviewedBy: checkerId,
      reviewNote: 'Ticket 8812 checked',
      transactionId: expect.stringMatching(/^[1-9]\d*$/),
    });
    await expect(availableOf(member)).resolves.toBe(THRESHOLD);

    expectError(await review(id, 'approve', checker), 409, 'APPROVAL_NOT_PENDING');
    expectError(await review(id, 'reject', checker), 409, 'APPROVAL_NOT_PENDING');
    await expect(availableOf(member)).resolves.toBe(THRESHOLD);
    expect(await pendingIds()).not.toContain(id);
    const read = await api<PointApprovalView>('GET', `/api/v1/admin/point-approvals/${id}`, {
      token: maker,
    });
    expect(read.body).toEqual(approved.body);

    const history = await api<Page<{ type: string; points: number; sourceId: string }>>(
      'GET',
      '/api/v1/points/me/transactions?type=adjust',
      { token: member.bearer },
    );
    expect(history.body.items).toEqual([
      expect.objectContaining({ type: 'adjust', points: THRESHOLD }),
    ]);
  });

  it('applies a request approved by two admins at once only once', async () => {
    const member = await newMember();
    const { body } = await adjust(member, THRESHOLD * 2);
    const otherChecker = token({ sub: nextUserId(), roles: ['admin'], perms: ['points:approve'] });
    const answers = await Promise.all([
      review(body.id, 'approve', checker),
      review(body.id, 'approve', otherChecker),
      review(body.id, 'approve', checker),
    ]);
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses).toEqual([200, 409, 409]);
    for (const answer of answers.filter((each) => each.status === 409)) {
      expectError(answer, 409, 'APPROVAL_NOT_PENDING');
    }
    await expect(availableOf(member)).resolves.toBe(THRESHOLD * 2);

    // One lot and one points.earned.v1 event, as for any adjustment, keyed by the request.
    const sourceId = `approval:${body.id}`;
    const lots = await queryAppSchema(
      'point-service',
      'SELECT amount FROM point_lot WHERE source_id = ?',
      [sourceId],
    );
    expect(lots.map((lot) => Number(lot['amount']))).toEqual([THRESHOLD * 2]);
    const events = (
      await queryAppSchema(
        'point-service',
        "SELECT envelope FROM outbox_message WHERE event_type = 'points.earned.v1' AND envelope LIKE ?",
        // MariaDB's JSON_SET (which fills in the transaction id) spaces the envelope's JSON.
        [`%${sourceId}%`],
      )
    )
      .map(
        (row) =>
          (JSON.parse(String(row['envelope'])) as { payload: Record<string, unknown> }).payload,
      )
      .filter((payload) => payload['sourceId'] === sourceId);
    expect(events).toEqual([
      expect.objectContaining({ points: THRESHOLD * 2, source: 'adjustment', sourceId }),
    ]);
  });

  it('adjusts nothing for a rejected request', async () => {
    const member = await newMember();
    const { body } = await adjust(member, THRESHOLD);
    expectError(await review(body.id, 'reject', maker), 403, 'APPROVAL_SELF_REVIEW');
    const rejected = await review(body.id, 'reject', checker, 'No ticket');
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({
      status: 'rejected',
      reviewedBy: checkerId,
      reviewNote: 'No ticket',
      transactionId: null,
    });
    expectError(await review(body.id, 'approve', checker), 409, 'APPROVAL_NOT_PENDING');
    await expect(availableOf(member)).resolves.toBe(0);
    expect(await pendingIds()).not.toContain(body.id);
    const rejectedList = await api<Page<PointApprovalView>>(
      'GET',
      '/api/v1/admin/point-approvals?status=rejected&limit=100',
      { token: checker },
    );
    expect(rejectedList.body.items.map((item) => item.id)).toContain(body.id);
  });

  it('keeps a deduction the balance cannot cover pending (422), and applies it once it can', async () => {
    const member = await newMember();
    const { body } = await adjust(member, -THRESHOLD);
    expect(body.status).toBe('pending');
    expectError(await review(body.id, 'approve', checker), 422, 'POINTS_INSUFFICIENT');
    await expect(
      api<PointApprovalView>('GET', `/api/v1/admin/point-approvals/${body.id}`, { token: checker }),
    ).resolves.toMatchObject({ body: { status: 'pending' } });

    await adjust(member, THRESHOLD - 1);
    await adjust(member, 1);
    const approved = await review(body.id, 'approve', checker);
    expect(approved.body.status).toBe('approved');
    await expect(availableOf(member)).resolves.toBe(0);
  });

  it('pages the list newest first and refuses members and admins without the permissions', async () => {
    const member = await newMember();
    const first = (await adjust(member, THRESHOLD)).body.id;
    const second = (await adjust(member, THRESHOLD + 1)).body.id;
    const page = await api<Page<PointApprovalView>>(
      'GET',
      '/api/v1/admin/point-approvals?status=pending&limit=1',
      { token: maker },
    );
    expect(page.body.items.map((item) => item.id)).toEqual([second]);
    const next = await api<Page<PointApprovalView>>(
      'GET',
      `/api/v1/admin/point-approvals?status=pending&limit=1&cursor=${page.body.nextCursor}`,
      { token: maker },
    );
    expect(next.body.items.map((item) => item.id)).toEqual([first]);

    expectError(
      await api('GET', '/api/v1/admin/point-approvals', { token: member.bearer }),
      403,
      'FORBIDDEN',
    );
    expectError(
      await api('GET', '/api/v1/admin/point-approvals', { token: auditor }),
      403,
      'FORBIDDEN',
    );
    expectError(
      await api('GET', '/api/v1/admin/point-approvals/999999999', { token: checker }),
      404,
      'POINT_APPROVAL_NOT_FOUND',
    );
    expectError(
      await api('GET', '/api/v1/admin/point-approvals?status=done', { token: checker }),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('audits the request and the approval, each with its admin', async () => {
    const member = await newMember();
    const { body } = await adjust(member, THRESHOLD);
    await review(body.id, 'approve', checker);

    const recordsBy = async (operatorId: string) =>
      (
        await api<Page<AuditRecordView>>(
          'GET',
          `/api/v1/admin/audit?operatorId=${operatorId}&limit=100`,
          { token: auditor },
        )
      ).body.items;
    const requestRecords = (await recordsBy(makerId)).filter(
      (record) => record.targetMemberId === member.id && record.outcome === 'succeeded',
    );
    expect(requestRecords).toEqual([
      expect.objectContaining({
        action: 'POST /admin/members/:memberId/points/adjust',
        after: expect.objectContaining({ id: body.id, status: 'pending' }),
      }),
    ]);
    const approvalRecords = (await recordsBy(checkerId)).filter(
      (record) =>
        record.action === 'POST /admin/point-approvals/:id/approve' &&
        record.outcome === 'succeeded' &&
        (record.after as { id?: string } | null)?.id === body.id,
    );
    expect(approvalRecords).toEqual([
      expect.objectContaining({
        operatorId: checkerId,
        after: expect.objectContaining({ status: 'approved', memberId: member.id }),
      }),
    ]);
  });
});
