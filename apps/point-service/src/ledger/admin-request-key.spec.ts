import { adminRequestKey } from './admin-request-key';

describe(adminRequestKey.name, () => {
  const admin = { userId: '90001' };

  it('keeps a short key readable', () => {
    expect(adminRequestKey(admin, 'ticket-8812')).toBe('90001:ticket-8812');
  });

  it('hashes long keys to 64 characters at most, keeping keys with a common start apart', () => {
    const common = 'x'.repeat(100);
    const first = adminRequestKey(admin, `${common}-1`);
    const second = adminRequestKey(admin, `${common}-2`);
    expect(first.length).toBeLessThanOrEqual(64);
    expect(first).not.toBe(second);
    expect(adminRequestKey(admin, `${common}-1`)).toBe(first);
  });

  it('keeps two admins using the same key apart', () => {
    expect(adminRequestKey({ userId: '1' }, 'k')).not.toBe(adminRequestKey({ userId: '2' }, 'k'));
  });
});
