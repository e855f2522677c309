import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkInMembersFor, parseOptions } from './options.mjs';
import { mixedKindOf } from './workloads.mjs';
import { rawCheckInSlot } from './raw-check-in.mjs';

describe('parseOptions', () => {
  it('runs everything at 1, 16, 64 and 128 connections by default', () => {
    const options = parseOptions([]);
    assert.deepEqual(options.connections, [1, 16, 64, 128]);
    assert.equal(options.duration, 10);
    assert.equal(options.warmup, 2);
    assert.equal(options.scenarios.length, 13);
    assert.ok(options.scenarios.includes('lot-spend-floor'));
    assert.equal(options.members, 1000);
    assert.ok(options.checkInMembers > 0);
  });

  it('shortens everything with --quick, and explicit values win', () => {
    const quick = parseOptions(['--quick']);
    assert.equal(quick.duration, 3);
    assert.equal(quick.members, 200);
    assert.equal(parseOptions(['--quick', '--duration', '5']).duration, 5);
  });

  it('adds the baselines of the scenarios asked for, in the standard order', () => {
    const options = parseOptions(['--scenarios', 'spend,balance', '--connections', '64,1,64']);
    assert.deepEqual(options.scenarios, [
      'noop-rpc',
      'raw-spend',
      'lot-spend-floor',
      'balance',
      'spend',
    ]);
    assert.deepEqual(options.connections, [1, 64]);
    assert.equal(options.checkInMembers, 0);
    assert.deepEqual(parseOptions(['--scenarios', 'check-in']).scenarios, [
      'raw-check-in',
      'lot-spend-floor',
      'check-in',
    ]);
  });

  it('runs lot-spend-floor alone or next to raw-spend when asked', () => {
    assert.deepEqual(parseOptions(['--scenarios', 'lot-spend-floor']).scenarios, [
      'lot-spend-floor',
    ]);
    assert.deepEqual(parseOptions(['--scenarios', 'lot-spend-floor,raw-spend']).scenarios, [
      'raw-spend',
      'lot-spend-floor',
    ]);
  });

  it('refuses unknown scenarios and bad numbers', () => {
    assert.throws(() => parseOptions(['--scenarios', 'balance,nope']), /unknown "nope"/);
    assert.throws(() => parseOptions(['--connections', '0']), /--connections/);
    assert.throws(() => parseOptions(['--duration', '1.5']), /--duration/);
    assert.throws(() => parseOptions(['--bogus']), /bogus/);
  });

  it('seeds a population only when asked, at least as big as the sample', () => {
    assert.equal(parseOptions([]).scale, 0);
    assert.equal(parseOptions([]).out, 'bench');
    const scaled = parseOptions(['--scale', '1000000', '--out', 'scale-1m']);
    assert.equal(scaled.scale, 1_000_000);
    assert.equal(scaled.out, 'scale-1m');
    assert.throws(() => parseOptions(['--scale', '500']), /--scale/);
    assert.throws(() => parseOptions(['--out', '../x']), /--out/);
  });

  it('counts the cached reads in passes over the members only when asked', () => {
    assert.equal(parseOptions([]).passes, 0);
    assert.equal(parseOptions(['--passes', '3']).passes, 3);
    assert.throws(() => parseOptions(['--passes', '0']), /--passes/);
    assert.throws(() => parseOptions(['--passes', 'x']), /--passes/);
  });

  it('sizes the check-in members from the levels and times', () => {
    assert.equal(
      checkInMembersFor({ connections: [1, 64], duration: 10, warmup: 2, quick: false }),
      Math.ceil((12 * 50 + 12 * 800) * 1.2),
    );
  });
});

describe('workloads', () => {
  it('mixes 80 % reads, 15 % quotes and 5 % spends', () => {
    const counts = {};
    for (let n = 0; n < 2000; n += 1) counts[mixedKindOf(n)] = (counts[mixedKindOf(n)] ?? 0) + 1;
    assert.deepEqual(counts, {
      balance: 400,
      transactions: 400,
      profile: 400,
      'level-progress': 400,
      quote: 300,
      spend: 100,
    });
  });

  it('gives each raw check-in its own member and day', () => {
    const members = [{ memberId: '1' }, { memberId: '2' }];
    const slots = [0, 1, 2, 3].map((n) => rawCheckInSlot(members, n, 1));
    const keys = new Set(slots.map((s) => `${s.member.memberId}:${s.dayMs}`));
    assert.equal(keys.size, 4);
    assert.equal(new Date(slots[2].dayMs).toISOString().slice(0, 10), '1991-01-02');
  });
});
