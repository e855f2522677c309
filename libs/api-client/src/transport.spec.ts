import { buildUrl } from './transport';

describe('buildUrl', () => {
  it('fills and encodes path parameters after the base URL, without a double slash', () => {
    expect(
      buildUrl('https://api.example.com/', '/api/v1/members/{memberId}', { memberId: 'a/b' }),
    ).toBe('https://api.example.com/api/v1/members/a%2Fb');
  });

  it('writes query values, repeats arrays and leaves out undefined and null', () => {
    expect(
      buildUrl(
        'http://gw',
        '/api/v1/admin/audit',
        {},
        {
          action: ['adjust', 'freeze'],
          memberId: 42,
          reveal: true,
          from: undefined,
          to: null,
        },
      ),
    ).toBe('http://gw/api/v1/admin/audit?action=adjust&action=freeze&memberId=42&reveal=true');
  });

  it('refuses a path parameter that was not given', () => {
    expect(() => buildUrl('http://gw', '/api/v1/members/{memberId}')).toThrow(
      'Missing path parameter memberId for /api/v1/members/{memberId}',
    );
  });
});
