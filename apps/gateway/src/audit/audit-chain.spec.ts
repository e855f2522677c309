import { GENESIS_HASH, canonicalJson, chainHash } from './audit-chain';
import type { AuditFields } from './audit-chain';

const fields: AuditFields = {
  occurredAt: new Date('2026-11-25T08:00:00.123Z'),
  operatorUserId: '77',
  action: 'member.erase',
  targetMemberId: '42',
  beforeJson: '{"erased":false}',
  afterJson: '{"erased":true}',
  ip: '10.0.0.7',
  userAgent: 'admin-console/1.0',
  correlationId: 'c-1',
  outcome: 'succeeded',
};

describe(canonicalJson.name, () => {
  const sut = canonicalJson;

  it('sorts keys at every depth, so the same value always gives the same text', () => {
    expect(sut({ b: 1, a: { d: [{ z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[{"y":2,"z":1}]},"b":1}',
    );
  });

  it('leaves out undefined properties and writes dates as ISO strings', () => {
    expect(sut({ a: undefined, at: new Date(0) })).toBe('{"at":"1970-01-01T00:00:00.000Z"}');
  });

  it('writes primitives as JSON', () => {
    expect([sut('x'), sut(1), sut(null), sut(undefined)]).toEqual(['"x"', '1', 'null', 'null']);
  });
});

describe(chainHash.name, () => {
  const sut = chainHash;

  it('is a sha256 hex digest, the same for the same input', () => {
    expect(sut(GENESIS_HASH, fields)).toMatch(/^[0-9a-f]{64}$/);
    expect(sut(GENESIS_HASH, { ...fields })).toBe(sut(GENESIS_HASH, fields));
  });

  it.each<[string, Partial<AuditFields>]>([
    ['the outcome', { outcome: 'failed' }],
    ['the after state', { afterJson: '{"erased":false}' }],
    ['the time, by one millisecond', { occurredAt: new Date('2026-11-25T08:00:00.124Z') }],
    ['the operator', { operatorUserId: '78' }],
    ['a null for an empty string', { ip: '' }],
  ])('changes when %s changes', (_name, change) => {
    expect(sut(GENESIS_HASH, { ...fields, ...change })).not.toBe(sut(GENESIS_HASH, fields));
  });

  it('depends on the previous hash', () => {
    expect(sut('f'.repeat(64), fields)).not.toBe(sut(GENESIS_HASH, fields));
  });
});
