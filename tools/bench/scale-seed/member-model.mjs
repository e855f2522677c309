// One member's life over the seeded years, simulated in time order so every row agrees with the
// ledger's invariants: lots spent and expired first-in first-out (expiry follows earning), the
// account equal to what the lots keep, a history row and a natural key per change, levels by spend.
import { Random, mix32 } from './random.mjs';
import {
  DAY_MS,
  POINT_RULES,
  businessDay,
  checkInPoints,
  dayText,
  expiredSeenAt,
  expiryOf,
  instantOf,
  levelFor,
  orderPoints,
} from './rules.mjs';
import { sqlTime } from './tables.mjs';

const MINUTE = 60_000;
const HOUR = 3_600_000;
/** Activity events: which kind, by probability. Orders sometimes spend points first. */
const MIX = { order: 0.55, checkInRun: 0.12, review: 0.15 };
/** History rows per activity event, on average (order earns, spends, check-in runs, reviews). */
const ROWS_PER_EVENT = 1.2;
const SPEND_CHANCE = 0.3;
const HOLD_SHARE = 0.25;
const RELEASED_HOLD_SHARE = 0.1;
const OPEN_HOLD_CHANCE = 0.005;
const NAMES = ['Li', 'Wang', 'Zhang', 'Liu', 'Chen', 'Yang', 'Zhao', 'Huang', 'Zhou', 'Wu'];
const GENDERS = ['male', 'female', 'female', 'male', 'other', 'undisclosed', null];

/** Registration time and activity weight of member `index`: the first pass, before the rows. */
export function profileOf(seed, index, { start, now }) {
  const random = new Random(mix32(seed ^ 0x5eed, index));
  const span = now - start;
  // Registrations grow over the years (density rising linearly towards now).
  const registeredAt = Math.floor(start + span * Math.sqrt(random.next()) - MINUTE);
  const tenure = Math.max(0.01, (now - registeredAt) / span);
  // Long-tailed activity: most members do little, a few a lot; older members more.
  const weight = random.logNormal(1, 1.1) * tenure ** 0.8;
  return { registeredAt, weight };
}

/**
 * Simulates member `index` and hands its rows to `emit(tableKey, values)`. `ids` holds the next
 * lot, transaction, hold, order and review ids, advanced as they are used. Returns the member's
 * level and history rows.
 */
export function simulateMember(context, index, profile, expectedRows, emit) {
  const { seed, now, levels, ids, pii, memberIdBase, userIdBase } = context;
  const random = new Random(mix32(seed, index));
  const memberId = memberIdBase + index;
  const userId = userIdBase + index;
  const wealth = random.logNormal(1, 0.8);
  const target = Math.floor(expectedRows) + (random.chance(expectedRows % 1) ? 1 : 0);
  const state = {
    clock: profile.registeredAt + 200,
    level: levels[0],
    version: 1,
    totalCents: 0,
    available: 0,
    held: 0,
    earned: 0,
    used: 0,
    expired: 0,
    rows: 0,
  };
  const lots = [];
  let head = 0;
  const birthday = random.chance(0.7)
    ? { year: random.int(1960, 2006), month: random.int(1, 12), day: random.int(1, 28) }
    : undefined;
  let nextBirthday = birthday ? firstBirthdayAfter(birthday, profile.registeredAt) : Infinity;
  const checkIns = { lastDay: -Infinity, streak: 0 };
  const reviews = { day: -1, count: 0 };

  const history = (type, points, source, sourceId, at, lot) => {
    const id = ids.transaction++;
    emit('point.point_transaction', [
      id,
      memberId,
      type,
      points,
      state.available,
      source,
      sourceId,
      lot?.id ?? null,
      lot ? sqlTime(lot.expires) : null,
      sqlTime(at),
    ]);
    state.rows += 1;
    return id;
  };
  const operation = (kind, key, transactionId, at) =>
    emit('point.point_operation', [kind, key, memberId, transactionId, sqlTime(at)]);

  const credit = (at, points, source, sourceId, kind) => {
    if (points <= 0) {
      operation(kind, sourceId, null, at);
      return;
    }
    const lot = { id: ids.lot++, source, sourceId, amount: points, remaining: points, at };
    lot.expires = expiryOf(at);
    lots.push(lot);
    state.available += points;
    state.earned += points;
    operation(kind, sourceId, history('earn', points, source, sourceId, at, lot), at);
  };

  /** Takes up to `wanted` points from the lots spendable at `at`, earliest expiry first. */
  const take = (wanted, at) => {
    const allocations = [];
    let left = wanted;
    for (let i = head; i < lots.length && left > 0; i += 1) {
      const lot = lots[i];
      if (lot.remaining === 0 || lot.expires <= at) continue;
      const taken = Math.min(left, lot.remaining);
      lot.remaining -= taken;
      left -= taken;
      allocations.push([lot.id, taken]);
    }
    while (head < lots.length && lots[head].remaining === 0) head += 1;
    return allocations;
  };
  const giveBack = (allocations) => {
    for (const [lotId, points] of allocations) {
      const lot = lots.find((candidate) => candidate.id === lotId);
      lot.remaining += points;
    }
    head = 0;
    while (head < lots.length && lots[head].remaining === 0) head += 1;
  };
  const spendable = (at) => {
    let sum = 0;
    for (let i = head; i < lots.length; i += 1) if (lots[i].expires > at) sum += lots[i].remaining;
    return Math.min(sum, state.available);
  };

  /** The expire-points job's run over the lots that expired before `at`, one row per expiry time. */
  const expireBefore = (limit) => {
    while (head < lots.length && expiredSeenAt(lots[head].expires) < limit) {
      const expires = lots[head].expires;
      const at = expiredSeenAt(expires) + 137;
      let points = 0;
      for (let i = head; i < lots.length && lots[i].expires === expires; i += 1) {
        points += lots[i].remaining;
        lots[i].remaining = 0;
      }
      while (head < lots.length && lots[head].remaining === 0) head += 1;
      if (points === 0) continue;
      state.available -= points;
      state.expired += points;
      history('expire', -points, 'expiry', new Date(expires).toISOString(), at, undefined);
      state.clock = Math.max(state.clock, at);
    }
  };

  /** The birthday greeting, and the level's gift (benefit-service, then point-service). */
  const birthdayAt = (at) => {
    const day = businessDay(at);
    const year = new Date(day * DAY_MS).getUTCFullYear();
    emit('member.birthday_greeting', [memberId, year, dayText(day), sqlTime(at)]);
    const gift = state.level.birthdayGift;
    if (gift > 0) {
      if (context.withBenefit) {
        emit('benefit.birthday_gift', [
          memberId,
          year,
          state.level.giftBenefitId,
          gift,
          sqlTime(at + 40),
        ]);
      }
      credit(at + 90, gift, 'birthday', `${memberId}:${year}`, 'earn:birthday');
    }
    nextBirthday = birthdayOccurrence(birthday, year + 1);
  };

  /** Runs what happens by itself (expiries, birthdays) up to `limit`, then moves the clock there. */
  const advance = (proposed) => {
    const limit = Math.max(proposed, state.clock + 1);
    for (;;) {
      const expiry = head < lots.length ? expiredSeenAt(lots[head].expires) : Infinity;
      if (nextBirthday < limit && nextBirthday <= expiry) birthdayAt(nextBirthday);
      else if (expiry < limit) expireBefore(expiry + 1);
      else break;
    }
    state.clock = Math.max(limit, state.clock + 1);
    return state.clock;
  };

  const spend = (orderId, at) => {
    const most = spendable(at);
    const points = Math.min(
      most,
      Math.max(100, Math.round((most * random.int(10, 60)) / 1000) * 10),
    );
    if (points <= 0) return;
    if (!random.chance(HOLD_SHARE)) {
      const allocations = take(points, at);
      state.available -= points;
      state.used += points;
      const transactionId = history('use', -points, 'order', String(orderId), at, undefined);
      for (const [lotId, taken] of allocations)
        emit('point.point_allocation', [transactionId, lotId, taken]);
      operation('use:order', String(orderId), transactionId, at);
      return;
    }
    const holdId = ids.hold++;
    const allocations = take(points, at);
    for (const [lotId, taken] of allocations)
      emit('point.point_hold_allocation', [holdId, lotId, taken]);
    const settledAt = at + random.int(20_000, 10 * MINUTE);
    const expiresAt = at + POINT_RULES.holdTtlMs;
    if (random.chance(RELEASED_HOLD_SHARE)) {
      giveBack(allocations);
      emit('point.point_hold', [
        holdId,
        memberId,
        orderId,
        points,
        'released',
        sqlTime(expiresAt),
        sqlTime(settledAt),
        sqlTime(at),
      ]);
      state.clock = settledAt;
      return;
    }
    state.available -= points;
    state.used += points;
    emit('point.point_hold', [
      holdId,
      memberId,
      orderId,
      points,
      'captured',
      sqlTime(expiresAt),
      sqlTime(settledAt),
      sqlTime(at),
    ]);
    const transactionId = history('use', -points, 'order', String(orderId), settledAt, undefined);
    for (const [lotId, taken] of allocations)
      emit('point.point_allocation', [transactionId, lotId, taken]);
    operation('use:order', String(orderId), transactionId, settledAt);
    state.clock = settledAt;
  };

  const order = (proposed) => {
    const orderId = ids.order++;
    let at = advance(proposed);
    if (state.available >= 200 && random.chance(SPEND_CHANCE)) {
      spend(orderId, at);
      at = advance(state.clock + random.int(MINUTE, 3 * HOUR));
    }
    const amountCents = Math.max(100, Math.round(random.logNormal(15_000, 0.9) * wealth));
    const before = state.level;
    state.totalCents += amountCents;
    const after = levelFor(levels, state.totalCents);
    if (after.id > before.id) {
      state.version += 1;
      state.level = after;
      emit('member.level_history', [
        memberId,
        state.version,
        before.id,
        after.id,
        'spend',
        String(orderId),
        state.totalCents,
        sqlTime(at),
      ]);
    }
    emit('member.member_order', [
      orderId,
      memberId,
      amountCents,
      before.id,
      state.level.id,
      sqlTime(at),
      sqlTime(at),
    ]);
    const earnAt = at + random.int(30, 400);
    const points = orderPoints(amountCents, before.multiplier);
    credit(earnAt, points, 'order', String(orderId), 'earn:order');
    emit('point.point_order_earn', [orderId, memberId, amountCents, points, sqlTime(earnAt)]);
    state.clock = earnAt;
  };

  const checkInRun = (proposed) => {
    const first = businessDay(proposed);
    const days = Math.min(30, random.geometric(1 / 3));
    for (let day = first; day < first + days; day += 1) {
      if (day <= checkIns.lastDay) continue;
      const wished = day === first ? proposed : instantOf(day, random.int(7 * HOUR, 23 * HOUR));
      if (wished >= now - MINUTE) return;
      const at = advance(wished);
      const actual = businessDay(at);
      if (actual <= checkIns.lastDay) continue;
      const businessDate = dayText(actual);
      checkIns.streak = checkIns.lastDay === actual - 1 ? checkIns.streak + 1 : 1;
      checkIns.lastDay = actual;
      const points = checkInPoints(checkIns.streak);
      emit('point.check_in', [memberId, businessDate, checkIns.streak, points, sqlTime(at)]);
      credit(at + 5, points, 'check-in', `${memberId}:${businessDate}`, 'earn:check-in');
    }
  };

  const review = (proposed) => {
    const at = advance(proposed);
    const day = businessDay(at);
    if (reviews.day !== day) Object.assign(reviews, { day, count: 0 });
    const capped = reviews.count >= POINT_RULES.reviewDailyCap;
    reviews.count += 1;
    credit(
      at,
      capped ? 0 : POINT_RULES.reviewPoints,
      'review',
      String(ids.review++),
      'earn:review',
    );
  };

  const meanGap = (now - profile.registeredAt) / Math.max(1, target / ROWS_PER_EVENT);
  while (state.rows < target) {
    const proposed = state.clock + Math.max(1000, random.exponential(meanGap));
    if (proposed >= now - 10 * MINUTE) break;
    const roll = random.next();
    if (roll < MIX.order) order(proposed);
    else if (roll < MIX.order + MIX.checkInRun) checkInRun(proposed);
    else if (roll < MIX.order + MIX.checkInRun + MIX.review) review(proposed);
    else order(proposed);
  }
  advance(now - 5 * MINUTE);
  if (random.chance(OPEN_HOLD_CHANCE) && spendable(state.clock) >= 100) {
    const holdId = ids.hold++;
    const points = 100;
    const at = state.clock;
    for (const [lotId, taken] of take(points, at))
      emit('point.point_hold_allocation', [holdId, lotId, taken]);
    state.available -= points;
    state.held += points;
    emit('point.point_hold', [
      holdId,
      memberId,
      ids.order++,
      points,
      'reserved',
      sqlTime(at + POINT_RULES.holdTtlMs),
      null,
      sqlTime(at),
    ]);
  }

  for (const lot of lots) {
    const at = sqlTime(lot.at);
    emit('point.point_lot', [
      lot.id,
      memberId,
      lot.source,
      lot.sourceId,
      lot.amount,
      lot.remaining,
      at,
      at,
      sqlTime(lot.expires),
      at,
    ]);
  }
  const registered = sqlTime(profile.registeredAt);
  const updated = sqlTime(state.clock);
  emit('point.point_account', [
    memberId,
    userId,
    state.available,
    state.held,
    state.earned,
    state.used,
    state.expired,
    sqlTime(profile.registeredAt + 150),
    updated,
  ]);
  const phone = random.chance(0.9)
    ? `1${random.int(3, 9)}${String(random.int(0, 999_999_999)).padStart(9, '0')}`
    : undefined;
  const email = random.chance(0.4) ? `user${userId}@example.com` : undefined;
  const sealed = pii?.member({ phone, email, birthday });
  emit('member.member', [
    memberId,
    userId,
    `${random.pick(NAMES)}${random.int(1, 9999)}`,
    random.pick(GENDERS),
    sealed?.phone ?? null,
    sealed?.phoneIndex ?? null,
    sealed?.email ?? null,
    sealed?.emailIndex ?? null,
    sealed?.birthday ?? null,
    birthday ? `${pad(birthday.month)}-${pad(birthday.day)}` : null,
    state.level.id,
    state.version,
    state.totalCents,
    random.chance(0.7) ? 'api' : 'platform',
    registered,
    updated,
  ]);
  const projection = [memberId, userId, state.level.id, state.version, updated];
  if (context.withBenefit) emit('benefit.member_level', projection);
  if (context.withEvent) emit('event.member_level', projection);
  return { level: state.level.id, rows: state.rows };
}

const pad = (n) => String(n).padStart(2, '0');

/** 08:00 business time on the birthday in `year`. */
function birthdayOccurrence(birthday, year) {
  const day = Math.floor(Date.UTC(year, birthday.month - 1, birthday.day) / DAY_MS);
  return instantOf(day, 8 * HOUR) + 17;
}

function firstBirthdayAfter(birthday, ms) {
  const year = new Date(ms).getUTCFullYear();
  const thisYear = birthdayOccurrence(birthday, year);
  return thisYear > ms ? thisYear : birthdayOccurrence(birthday, year + 1);
}
