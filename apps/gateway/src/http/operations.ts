/**
 * What the OpenAPI document says of each operation beyond the controller's summary: its
 * `operationId` (`<area>.<verb>`, the method name generated SDKs use), a description (the rules,
 * who may call it and the error codes of its own) and, for a route with a body, an example of it.
 *
 * Keyed by the handler, `<Controller>.<method>`, so the controllers stay about routing; a handler
 * missing here fails the document's build (`describeOperations`), so every new route gets an entry.
 */
export interface OperationDoc {
  id: string;
  description: string;
  /** An example request body. */
  body?: Record<string, unknown>;
}

const MEMBER = 'Caller: a member token.';
const MEMBER_OR_SERVICE =
  'Caller: a member token, or a service token (the cart or order system) naming the member with `memberId` in the body.';
const admin = (permission: string): string => `Caller: an admin token with \`${permission}\`.`;

export const OPERATIONS: Record<string, OperationDoc> = {
  // members
  'MembersController.register': {
    id: 'members.register',
    description: `Creates the member of the token's platform user, with the optional profile fields (phone, email and birthday are stored encrypted). Registering again answers 200 with the existing member and changes nothing, so a retry is safe. ${MEMBER}`,
    body: { nickname: 'Ann', phone: '13812345678', birthday: '1990-05-01', gender: 'female' },
  },
  'MembersController.me': {
    id: 'members.getMe',
    description: `The caller's own member: profile with phone, email and real name masked, current level and total spent. 404 MEMBER_NOT_FOUND before registration. ${MEMBER}`,
  },
  'MembersController.updateMe': {
    id: 'members.updateMe',
    description: `Sets the fields present in the body and clears those sent as null; fields left out stay as they are. A body naming no field is 400 VALIDATION_FAILED; an erased member is 409 MEMBER_ERASED. ${MEMBER}`,
    body: { nickname: 'Annie', email: null },
  },
  // points
  'PointsController.balance': {
    id: 'points.getBalance',
    description: `Available points (spendable now), frozen (held back by a refund or an admin), pending, held (reserved by checkouts), debt, the points expiring within 30 days and lifetime totals. ${MEMBER}`,
  },
  'PointsController.transactions': {
    id: 'points.listTransactions',
    description: `Every movement of the caller's balances, newest first, each with the balances after it; filter by \`type\`, \`from\` and \`to\`, page with \`limit\` and \`cursor\`. ${MEMBER}`,
  },
  'PointsController.expiring': {
    id: 'points.listExpiring',
    description: `The caller's earned lots with points left that expire within \`days\` (1–365, default 30), soonest first. ${MEMBER}`,
  },
  'PointsController.checkIn': {
    id: 'points.checkIn',
    description: `Once per business day (in BUSINESS_TIME_ZONE, by default Asia/Shanghai): 5 points, 20 on every 7th consecutive day (by default). A second check-in the same day is 409 ALREADY_CHECKED_IN. ${MEMBER}`,
  },
  'PointsController.use': {
    id: 'points.spend',
    description: `Spends points on an order from the lots that expire first. One spend per member and order: a repeat answers the first spend. 422 POINTS_INSUFFICIENT when fewer points are available; 409 ORDER_CANCELLED, ORDER_OWNED_BY_ANOTHER_MEMBER or CONFLICT (a hold is reserved for the order). ${MEMBER}`,
    body: { points: 100, orderId: 'SO-2026-000123', reason: 'Checkout' },
  },
  'PointsController.reserve': {
    id: 'points.reserveHold',
    description: `Moves points from available to held for an order at checkout; the hold is released by itself after \`ttlSeconds\` (default 900) unless captured. 422 POINTS_INSUFFICIENT; 409 when the order is paid, cancelled or another member's. ${MEMBER_OR_SERVICE}`,
    body: { points: 100, orderId: 'SO-2026-000123', ttlSeconds: 900 },
  },
  'PointsController.capture': {
    id: 'points.captureHold',
    description: `Spends a reserved hold on its order (at payment); a repeat answers the same. 409 HOLD_NOT_RESERVED when it was released or expired; 404 HOLD_NOT_FOUND. ${MEMBER_OR_SERVICE} A member sends no body.`,
    body: { memberId: '1024' },
  },
  'PointsController.release': {
    id: 'points.releaseHold',
    description: `Gives a reserved hold's points back to available; releasing a released hold answers the same. 409 when it was captured; 404 HOLD_NOT_FOUND. ${MEMBER_OR_SERVICE} A member sends no body.`,
    body: { memberId: '1024' },
  },
  // levels
  'LevelsController.list': {
    id: 'levels.list',
    description:
      'The levels from the lowest, each with the total spent from which a member holds it. Caller: a member, admin or service token.',
  },
  'LevelsController.progress': {
    id: 'levels.getMyProgress',
    description: `The caller's level, the next level, the qualifying spend and how much more is needed (null at the top). 404 MEMBER_NOT_FOUND before registration. ${MEMBER}`,
  },
  'LevelsController.create': {
    id: 'admin.levels.create',
    description: `Adds a level above or between the existing ones; thresholds must keep increasing with the level (422 otherwise); 409 LEVEL_EXISTS for a taken id. Members move to their new level in the background. ${admin('levels:write')}`,
    body: { id: 6, name: 'Black', minTotalSpent: '100000.00' },
  },
  'LevelsController.update': {
    id: 'admin.levels.update',
    description: `Renames a level and/or moves its threshold (thresholds must keep increasing); members are re-evaluated in the background. 404 LEVEL_NOT_FOUND. ${admin('levels:write')}`,
    body: { name: 'Platinum', minTotalSpent: '20000.00' },
  },
  'LevelsController.setMemberLevel': {
    id: 'admin.members.setLevel',
    description: `Puts a member on a level by hand with a reason (audited); the level becomes the member's floor, so spending can still raise it. 404 MEMBER_NOT_FOUND or LEVEL_NOT_FOUND. ${admin('members:write')}`,
    body: { levelId: 3, reason: 'Ticket 8812: VIP agreement' },
  },
  // jobs and system
  'AdminJobsController.run': {
    id: 'admin.jobs.run',
    description: `Starts a run of a scheduled job, as of now (or of \`asOf\` where allowed), on the service that owns it, and answers 202 at once with the admin job and its \`Location\`; the job's \`result\` is what the run did (\`{job, asOf, outcome, result}\`), and a run that failed ends \`failed\` with the error JOB_FAILED. While a run of the same job as of the same time (or of "now") is queued or running, starting it again answers that job. 404 NOT_FOUND for an unknown job. ${admin('system:write')}`,
    body: {},
  },
  'AdminJobsController.get': {
    id: 'admin.jobs.get',
    description: `An admin job by the id its start answered (\`event.42\`: the service that runs it and a number): \`queued\`, \`running\` with \`progress\` (for a distribution, participations rewarded of those to reward), \`succeeded\` with \`result\`, or \`failed\` with \`error\`. A job outlives the request that started it, the gateway pod and a restart of its service (it is resumed). 400 VALIDATION_FAILED for a malformed id, 404 JOB_NOT_FOUND for an unknown one. Caller: an admin token with the permission that starting the job needs (\`campaigns:write\` for a distribution, \`system:write\` for a job run), else 403.`,
  },
  'ReadOnlyController.show': {
    id: 'admin.system.getReadOnly',
    description: `The read-only state: whether it is on, set by an admin or automatically (a primary database refusing writes), since when, why, by whom and until when. ${admin('system:write')}`,
  },
  'ReadOnlyController.set': {
    id: 'admin.system.setReadOnly',
    description: `While on, every write answers 503 READ_ONLY_MODE and reads work. Switching off also ends an automatic read-only period. ${admin('system:write')}`,
    body: { enabled: true, reason: 'Database failover' },
  },
  'AdminAuditController.list': {
    id: 'admin.audit.list',
    description: `The audit trail of admin writes, PII reveals and erasures, newest first, filtered by member, operator, action and time; cursor pages. ${admin('audit:read')}`,
  },
  'AdminAuditController.verify': {
    id: 'admin.audit.verify',
    description: `Recomputes the hash chain of the audit trail: \`valid\`, the records checked and the last hash, or the first record where the chain breaks. ${admin('audit:read')}`,
  },
  // admin: members
  'AdminMembersController.search': {
    id: 'admin.members.search',
    description: `Members newest first, PII masked, by exact phone or email, nickname prefix, level and registration range; cursor pages. ${admin('members:read')}`,
  },
  'AdminMembersController.get': {
    id: 'admin.members.get',
    description: `One member with PII masked. \`reveal=true\` shows phone, email, birthday and real name in clear: it needs \`members:pii\` too (403 otherwise) and is audited before anything is shown (503 when the audit cannot be written). 404 MEMBER_NOT_FOUND. ${admin('members:read')}`,
  },
  'AdminMembersController.erase': {
    id: 'admin.members.erase',
    description: `Erases a member's personal data for good (right to be forgotten): the profile fields become null, points and history stay, anonymous. Erasing again answers the same. 404 MEMBER_NOT_FOUND. ${admin('members:write')}`,
  },
  // admin: points
  'AdminPointsController.balance': {
    id: 'admin.points.getBalance',
    description: `A member's balances, as the member sees them. 404 POINT_ACCOUNT_NOT_FOUND. ${admin('members:read')}`,
  },
  'AdminPointsController.transactions': {
    id: 'admin.points.listTransactions',
    description: `A member's points history, newest first, with the same filters and cursor pages as the member's own. ${admin('members:read')}`,
  },
  'AdminPointsController.adjust': {
    id: 'admin.points.adjust',
    description: `Credits (positive) or deducts (negative) points with an upper-case reason code and a note, audited. A deduction beyond the available points is 422 POINTS_INSUFFICIENT. From ADJUSTMENT_APPROVAL_THRESHOLD points either way (default 10000; 0 turns approvals off) nothing is adjusted yet: the answer is 202 with a pending approval request, which a second admin approves or rejects (\`/admin/point-approvals\`). Send an Idempotency-Key so a retry cannot adjust (or request) twice. ${admin('points:adjust')}`,
    body: { points: 200, reasonCode: 'COMPENSATION', note: 'Ticket 8812: parcel lost' },
  },
  'AdminPointsController.freeze': {
    id: 'admin.points.freeze',
    description: `Moves available points to frozen, earliest-expiring first, until an admin unfreezes them. 422 POINTS_INSUFFICIENT. ${admin('points:adjust')}`,
    body: { points: 50, reason: 'Fraud review 77' },
  },
  'AdminPointsController.unfreeze': {
    id: 'admin.points.unfreeze',
    description: `Releases points admins froze, oldest freeze first; a refund's freeze settles only with its refund. 422 FROZEN_POINTS_INSUFFICIENT when fewer points are frozen by admins. ${admin('points:adjust')}`,
    body: { points: 50, reason: 'Fraud review 77 closed' },
  },
  'AdminPointApprovalsController.list': {
    id: 'admin.pointApprovals.list',
    description: `Adjustment approval requests (maker–checker), newest first; filter by \`status\` (pending, approved, rejected), page with \`limit\` and \`cursor\`. ${admin('points:adjust')} (or \`points:approve\`)`,
  },
  'AdminPointApprovalsController.get': {
    id: 'admin.pointApprovals.get',
    description: `One adjustment approval request. 404 POINT_APPROVAL_NOT_FOUND. ${admin('points:adjust')} (or \`points:approve\`)`,
  },
  'AdminPointApprovalsController.approve': {
    id: 'admin.pointApprovals.approve',
    description: `Approves a pending adjustment request: its points are adjusted now, exactly once, with the same history row and event as any adjustment (\`sourceId\` \`approval:<id>\`), and the request answers \`approved\` with its \`transactionId\`. 403 APPROVAL_SELF_REVIEW for the admin who requested it; 409 APPROVAL_NOT_PENDING once approved or rejected; 422 POINTS_INSUFFICIENT for a deduction the balance no longer covers (the request stays pending); 404 POINT_APPROVAL_NOT_FOUND. ${admin('points:approve')}`,
    body: { note: 'Checked against ticket 8812' },
  },
  'AdminPointApprovalsController.reject': {
    id: 'admin.pointApprovals.reject',
    description: `Rejects a pending adjustment request: nothing is adjusted. 403 APPROVAL_SELF_REVIEW for the admin who requested it; 409 APPROVAL_NOT_PENDING once approved or rejected; 404 POINT_APPROVAL_NOT_FOUND. ${admin('points:approve')}`,
    body: { note: 'No ticket for this' },
  },
  // reports
  'AdminReportsController.liability': {
    id: 'admin.reports.pointsLiability',
    description: `Points still owed (what is left on every lot) by expiry month (UTC; \`never\` for lots without expiry), each valued at POINT_VALUE in POINT_VALUE_CURRENCY as an exact decimal string, with the totals. \`format=csv\` answers a CSV attachment (month, points, value, currency; a last \`total\` row). ${admin('reports:read')}`,
  },
  'AdminReportsController.monthly': {
    id: 'admin.reports.pointsMonthly',
    description: `Per month (UTC) from \`from\` to \`to\` (YYYY-MM, both included, at most 36 months): issued (earned, plus positive admin adjustments), used (spent and captured holds, less restored by cancelled orders), expired, and breakage (expired / issued) and redemption (used / issued) rates as 4-decimal strings, null when nothing was issued. A bad month, \`to\` before \`from\` or a longer range is 400 VALIDATION_FAILED. \`format=csv\` answers a CSV attachment. ${admin('reports:read')}`,
  },
  'AdminReportsController.topSources': {
    id: 'admin.reports.topEarningSources',
    description: `The sources (order, review, check-in, birthday, campaign, adjustment, batch) that issued most points in the months \`from\`..\`to\` (as points-monthly), with their points and number of credits, most first; \`limit\` 1–100 (default 10). 400 VALIDATION_FAILED as points-monthly. \`format=csv\` answers a CSV attachment. ${admin('reports:read')}`,
  },
  'AdminLedgerExportController.ledgerExport': {
    id: 'admin.points.ledgerExport',
    description: `Every history row with \`from\` ≤ time < \`to\` (required, ISO 8601), optionally of one \`memberId\` and one \`source\`, as a CSV attachment streamed a page at a time: transaction_id, member_id, created_at, type, source, source_id, points (signed), balance_after, note; one member's rows oldest first (time, then transaction id), the whole ledger's in transaction id order (ids grow with time). Cells are quoted when they hold a comma, a quote or a line break; a text starting with = + - or @ gets a leading single quote so spreadsheets do not run it as a formula. A missing or bad period, or \`to\` not after \`from\`, is 400 VALIDATION_FAILED; a failure after the first rows aborts the response (no partial file passes as complete). ${admin('reports:read')}`,
  },
  'AdminPointsBatchController.earnBatch': {
    id: 'admin.points.earnBatch',
    description: `Credits many members at once (sources batch, campaign or adjustment); each (member, source, sourceId) earns once, so a repeated batch credits nothing twice. Answers what was credited, what was a duplicate and which members are unknown. ${admin('points:adjust')}`,
    body: {
      items: [
        { memberId: '1024', points: 100, source: 'campaign', sourceId: 'spring-2026-1024' },
        { memberId: '1025', points: 100, source: 'campaign', sourceId: 'spring-2026-1025' },
      ],
    },
  },
  // benefits
  'BenefitsController.listMine': {
    id: 'benefits.listMine',
    description: `The enabled benefits of the caller's current level (discounts, free shipping, points multiplier, birthday gift, priority service, exclusive events). ${MEMBER}`,
  },
  'BenefitsController.stats': {
    id: 'benefits.getMyStats',
    description: `How often the caller used each benefit and the money it saved, per \`period\` (day, month or year; default month). ${MEMBER}`,
  },
  'BenefitsController.eligibility': {
    id: 'benefits.checkEligibility',
    description: `Whether the caller may use the benefit now for an order of \`orderAmount\`; when not, \`reason\` says why (LEVEL_TOO_LOW, OTHER_LEVEL, OUTSIDE_WINDOW, MIN_AMOUNT_NOT_MET, QUOTA_USED_UP, DISABLED). 404 BENEFIT_NOT_FOUND. ${MEMBER}`,
  },
  'BenefitsController.quote': {
    id: 'benefits.quote',
    description: `Prices an order with the member's benefits without recording anything: discount, free shipping, payable amount, points multiplier and the points the order would earn. ${MEMBER_OR_SERVICE}`,
    body: { orderAmount: '399.00', shippingFee: '12.00' },
  },
  'BenefitsController.use': {
    id: 'benefits.use',
    description: `Records the use of a benefit on an order, once per order and benefit (a repeat answers the first use), and counts it against the month's quota. 404 BENEFIT_NOT_FOUND; 422 BENEFIT_NOT_ELIGIBLE (\`details.reason\`) or BENEFIT_QUOTA_EXCEEDED; 409 ORDER_CANCELLED. ${MEMBER_OR_SERVICE}`,
    body: {
      orderId: 'SO-2026-000123',
      benefitId: '12',
      orderAmount: '399.00',
      shippingFee: '12.00',
    },
  },
  'PriorityController.priority': {
    id: 'members.getPriority',
    description:
      "Whether the member's level holds PRIORITY_SERVICE, for customer-service queues. Caller: a service token, or an admin token with `members:read` (403 otherwise). 404 MEMBER_NOT_FOUND.",
  },
  // admin: benefits
  'AdminBenefitsController.list': {
    id: 'admin.benefits.list',
    description: `Every benefit definition, enabled or not, optionally of one level and one type. ${admin('benefits:write')}`,
  },
  'AdminBenefitsController.create': {
    id: 'admin.benefits.create',
    description: `Adds a benefit to a level; \`params\` must fit its type (422 otherwise). Its members see it at once and the level's benefits are announced to the other services. 404 LEVEL_NOT_FOUND. ${admin('benefits:write')}`,
    body: {
      type: 'DISCOUNT',
      levelId: 3,
      name: 'Gold: 5% off',
      params: { rate: '0.95' },
      enabled: true,
    },
  },
  'AdminBenefitsController.update': {
    id: 'admin.benefits.update',
    description: `Replaces every field of a benefit with the body's. 404 BENEFIT_NOT_FOUND. ${admin('benefits:write')}`,
    body: {
      type: 'DISCOUNT',
      levelId: 3,
      name: 'Gold: 8% off',
      params: { rate: '0.92' },
      enabled: true,
    },
  },
  'AdminBenefitsController.remove': {
    id: 'admin.benefits.remove',
    description: `Removes a benefit from its level; uses already recorded stay in the statistics. 404 BENEFIT_NOT_FOUND. ${admin('benefits:write')}`,
  },
  'AdminBenefitsController.stats': {
    id: 'admin.benefits.getStats',
    description: `Uses and amounts of one benefit across all members, per \`period\` (default month). 404 BENEFIT_NOT_FOUND. ${admin('benefits:write')}`,
  },
  // campaigns
  'CampaignsController.open': {
    id: 'campaigns.listOpen',
    description: `Published campaigns within their window that the caller's level may join (exclusive ones only for levels holding EXCLUSIVE_EVENT). ${MEMBER}`,
  },
  'CampaignsController.participations': {
    id: 'campaigns.listMyParticipations',
    description: `The campaigns the caller joined, newest first, with the participation's status (joined, completed, rewarded). ${MEMBER}`,
  },
  'CampaignsController.join': {
    id: 'campaigns.join',
    description: `Joins an open campaign; the capacity holds under any concurrency. 409 CAMPAIGN_FULL, ALREADY_JOINED or CAMPAIGN_NOT_OPEN; 403 CAMPAIGN_NOT_ELIGIBLE (level); 404 CAMPAIGN_NOT_FOUND. ${MEMBER}`,
  },
  // admin: campaigns
  'AdminCampaignsController.list': {
    id: 'admin.campaigns.list',
    description: `Every campaign, newest first, optionally of one status; cursor pages. ${admin('campaigns:write')}`,
  },
  'AdminCampaignsController.get': {
    id: 'admin.campaigns.get',
    description: `One campaign with its join count. 404 CAMPAIGN_NOT_FOUND. ${admin('campaigns:write')}`,
  },
  'AdminCampaignsController.create': {
    id: 'admin.campaigns.create',
    description: `Creates a draft: window, capacity, eligibility (minimum level, exclusive), completion (manual, or an order of at least \`minAmount\` in the window) and reward (\`{points}\` and/or \`{benefitId}\`). A reward naming an unknown benefit or an unknown \`minLevelId\` is 422. ${admin('campaigns:write')}`,
    body: {
      title: 'Spring sale',
      description: 'Order 200 or more during the sale for 500 points',
      startAt: '2026-03-01T00:00:00.000Z',
      endAt: '2026-03-31T23:59:59.000Z',
      capacity: 1000,
      minLevelId: 2,
      exclusive: false,
      repeatable: false,
      completion: { event: 'order.completed.v1', minAmount: '200.00' },
      reward: { points: 500 },
    },
  },
  'AdminCampaignsController.update': {
    id: 'admin.campaigns.update',
    description: `Replaces a draft's fields with the body's; a published campaign cannot be edited (409 CAMPAIGN_STATE_CONFLICT). 404 CAMPAIGN_NOT_FOUND. ${admin('campaigns:write')}`,
    body: {
      title: 'Spring sale',
      startAt: '2026-03-01T00:00:00.000Z',
      endAt: '2026-04-07T23:59:59.000Z',
      capacity: 2000,
      completion: 'manual',
      reward: { points: 300 },
    },
  },
  'AdminCampaignsController.publish': {
    id: 'admin.campaigns.publish',
    description: `Opens a draft to members from its start. 409 CAMPAIGN_STATE_CONFLICT unless it is a draft; 404 CAMPAIGN_NOT_FOUND. ${admin('campaigns:write')}`,
  },
  'AdminCampaignsController.close': {
    id: 'admin.campaigns.close',
    description: `Ends a published campaign before its end: no more joins. 409 CAMPAIGN_STATE_CONFLICT unless it is published; 404 CAMPAIGN_NOT_FOUND. ${admin('campaigns:write')}`,
  },
  'AdminCampaignsController.distribute': {
    id: 'admin.campaigns.distributeRewards',
    description: `Starts rewarding every completed participation of a published or closed campaign once, in batches of one transaction each, and answers 202 at once with the admin job and its \`Location\` (\`GET /admin/jobs/{jobId}\`: progress while it runs; once succeeded, \`result\` holds \`{campaignId, rewarded, batches, totals, status}\`). Running it again does only what is left, and the campaign is settled once all are rewarded; while a distribution of the campaign is queued or running, starting it again answers that job. 404 CAMPAIGN_NOT_FOUND; 409 CAMPAIGN_STATE_CONFLICT for a draft. ${admin('campaigns:write')}`,
  },
  'AdminCampaignsController.complete': {
    id: 'admin.participations.complete',
    description: `Marks a participation of a manual campaign completed (once; a repeat answers the same). 404 PARTICIPATION_NOT_FOUND. ${admin('campaigns:write')}`,
  },
};
