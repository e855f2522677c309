import type { RunningApp } from '@member-system/shared/testing';
import { freePort, startApp, stopApp } from '@member-system/shared/testing';
import { api, memberToken, nextUserId } from '../support/api';
import { fleetInfo } from '../support/fleet';

describe('Gateway hardening', () => {
  it('sends security headers with every API answer, errors included', async () => {
    const answers = [
      await api('GET', '/api/v1/levels', { token: memberToken(nextUserId()) }),
      await api('GET', '/api/v1/members/me'),
    ];
    for (const answer of answers) {
      expect({
        nosniff: answer.headers.get('x-content-type-options'),
        frame: answer.headers.get('x-frame-options'),
        cache: answer.headers.get('cache-control'),
        csp: answer.headers.get('content-security-policy'),
      }).toEqual({
        nosniff: 'nosniff',
        frame: 'DENY',
        cache: 'no-store',
        csp: "default-src 'none'; frame-ancestors 'none'",
      });
    }
  });

  it('answers no CORS headers when no origin is allowed (the default)', async () => {
    const response = await fetch(`${fleetInfo().gatewayUrl}/api/v1/levels`, {
      method: 'OPTIONS',
      headers: { origin: 'https://shop.example.com', 'access-control-request-method': 'GET' },
    });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  describe('with CORS_ORIGINS set', () => {
    let gateway: RunningApp | undefined;
    let baseUrl: string;

    beforeAll(async () => {
      const port = await freePort();
      gateway = await startApp(
        'gateway',
        { ...fleetInfo().env.gateway, CORS_ORIGINS: 'https://shop.example.com' },
        port,
      );
      baseUrl = `http://127.0.0.1:${port}`;
    });

    afterAll(async () => {
      if (gateway) await stopApp(gateway);
    });

    const preflight = (origin: string) =>
      fetch(`${baseUrl}/api/v1/points/me/use`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type,idempotency-key',
        },
      });

    it('allows a listed origin, with the headers clients send', async () => {
      const response = await preflight('https://shop.example.com');
      expect(response.status).toBeLessThan(300);
      expect(response.headers.get('access-control-allow-origin')).toBe('https://shop.example.com');
      expect(response.headers.get('access-control-allow-headers')).toContain('idempotency-key');
    });

    it('refuses any other origin', async () => {
      const response = await preflight('https://evil.example.com');
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    });
  });
});
