// Unit test of the dev runner's "fleet is up" banner.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatBanner } from './banner.mjs';

describe('formatBanner', () => {
  it('shows the URLs, both tokens and a curl with the member token', () => {
    const banner = formatBanner({
      apps: [
        { name: 'gateway', port: 3000 },
        { name: 'member-service', port: 3001 },
      ],
      memberToken: 'MEMBER.TOKEN',
      adminToken: 'ADMIN.TOKEN',
      seconds: 4.25,
    });

    for (const text of [
      'http://localhost:3000/api/v1',
      'http://localhost:3000/docs ',
      'http://localhost:3000/docs-json',
      'http://localhost:3001/health/ready',
      'ADMIN.TOKEN',
      `curl -X POST http://localhost:3000/api/v1/members -H "Authorization: Bearer MEMBER.TOKEN" -H 'Content-Type: application/json' -d '{"nickname":"Ann"}'`,
    ]) {
      assert.ok(banner.includes(text), `banner lacks ${text}`);
    }
    assert.match(banner, /ready in 4\.3 s/);
  });
});
