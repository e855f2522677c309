import { generateKeyPairSync } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A key an identity provider signs tokens with, and the public JWK it publishes for it. */
export interface SigningKey {
  kid: string;
  alg: 'RS256' | 'ES256';
  privateKey: KeyObject;
  jwk: Record<string, unknown>;
}

export function signingKey(kid: string, alg: SigningKey['alg']): SigningKey {
  const { privateKey, publicKey } =
    alg === 'RS256'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    kid,
    alg,
    privateKey,
    jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg, use: 'sig' },
  };
}

/**
 * An identity provider's JWKS endpoint on 127.0.0.1: answers the keys published (or whatever
 * `answer` is set to, for a provider that fails), counting its fetches.
 */
export class KeySetServer {
  answer: { status: number; body: string } = { status: 200, body: '{"keys":[]}' };
  fetches = 0;
  private server: Server | undefined;

  publish(...keys: SigningKey[]): void {
    this.answer = { status: 200, body: JSON.stringify({ keys: keys.map((key) => key.jwk) }) };
  }

  /** Starts listening on a free port; the JWKS URL. */
  async start(): Promise<string> {
    this.server = createServer((_request, response) => {
      this.fetches += 1;
      response.writeHead(this.answer.status, { 'content-type': 'application/json' });
      response.end(this.answer.body);
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/.well-known/jwks.json`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
