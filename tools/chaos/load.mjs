// The HTTP side of the load: members register, then closed-loop workers read balances, ask for
// quotes, spend points and check in through the gateway. Every call is recorded for the error
// rate windows; every spend is remembered for the exactness check.
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { mintToken } from '../lib/jwt.mjs';

/** A keep-alive client for the gateway. Never rejects: a network error or timeout is status 0. */
export function gatewayClient(baseUrl, connections = 16) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const { hostname, port } = new URL(baseUrl);
  function request({ method = 'GET', path, token, body, idempotencyKey }, timeoutMs = 8000) {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers = { authorization: `Bearer ${token}` };
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = Buffer.byteLength(payload);
    }
    if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
    return new Promise((resolve) => {
      const failed = (error) => resolve({ status: 0, code: error.code ?? error.message });
      const req = http.request(
        { agent, hostname, port, method, path, headers, timeout: timeoutMs },
        (res) => {
          const chunks = [];
          res.on('data', (chunk) => chunks.push(chunk));
          res.on('error', failed);
          res.on('end', () => {
            let json;
            try {
              json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
            } catch {
              json = undefined;
            }
            resolve({ status: res.statusCode, code: json?.code, json });
          });
        },
      );
      req.on('timeout', () =>
        req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })),
      );
      req.on('error', failed);
      req.end(payload);
    });
  }
  return { request, close: () => agent.destroy() };
}

/** Registers `count` members (user ids from `firstUserId`) and waits until each has a points account. */
export async function registerMembers(client, { count, firstUserId }) {
  const members = [];
  for (let i = 0; i < count; i += 1) {
    const userId = String(firstUserId + i);
    const token = mintToken({ sub: userId, roles: ['member'], ttlSeconds: 6 * 3600 });
    for (let attempt = 1; ; attempt += 1) {
      const answer = await client.request({
        method: 'POST',
        path: '/api/v1/members',
        token,
        body: { nickname: `chaos ${userId}` },
        idempotencyKey: `register-${userId}`,
      });
      if (answer.status === 200 || answer.status === 201) {
        members.push({ userId, memberId: String(answer.json.id), token });
        break;
      }
      if (attempt === 10) throw new Error(`register ${userId}: ${answer.status} ${answer.code}`);
      await sleep(300 * attempt);
    }
  }
  for (const member of members) {
    for (let attempt = 1; ; attempt += 1) {
      const answer = await client.request({
        path: '/api/v1/points/me/balance',
        token: member.token,
      });
      if (answer.status === 200) break;
      if (attempt === 50) throw new Error(`no points account for user ${member.userId}`);
      await sleep(200);
    }
  }
  return members;
}

const pick = (items) => items[Math.floor(Math.random() * items.length)];

/**
 * Runs `workers` closed-loop workers until `signal` aborts. Resolves with `{ calls, spends }`:
 * calls `{ t, op, status, code, ms }` (t = ms since `t0`), spends `{ orderId, memberId, points,
 * status, code }` with the last answer after up to five tries with the same Idempotency-Key (a
 * try is repeated after no answer, a 5xx or 409 REQUEST_IN_PROGRESS).
 */
export async function runHttpLoad({ client, members, workers, signal, t0 }) {
  const calls = [];
  const spends = [];
  let spendSeq = 0;
  const call = async (op, request) => {
    const started = Date.now();
    const answer = await client.request(request);
    calls.push({
      t: started - t0,
      op,
      status: answer.status,
      code: answer.code ?? '',
      ms: Date.now() - started,
    });
    return answer;
  };
  const operations = [
    [0.4, (member) => call('balance', { path: '/api/v1/points/me/balance', token: member.token })],
    [
      0.25,
      (member) =>
        call('quote', {
          method: 'POST',
          path: '/api/v1/benefits/quote',
          token: member.token,
          body: { orderAmount: `${100 + Math.floor(Math.random() * 400)}.00` },
          idempotencyKey: randomUUID(),
        }),
    ],
    [0.2, (member) => spend(member)],
    [
      0.15,
      (member) =>
        call('check-in', {
          method: 'POST',
          path: '/api/v1/points/me/check-in',
          token: member.token,
          idempotencyKey: randomUUID(),
        }),
    ],
  ];
  async function spend(member) {
    spendSeq += 1;
    const record = {
      orderId: String(2_000_000_000 + spendSeq),
      memberId: member.memberId,
      points: 1 + Math.floor(Math.random() * 5),
      status: 0,
      code: '',
      tries: 0,
    };
    spends.push(record);
    const key = randomUUID();
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      const answer = await call('spend', {
        method: 'POST',
        path: '/api/v1/points/me/use',
        token: member.token,
        body: { points: record.points, orderId: record.orderId, reason: 'chaos' },
        idempotencyKey: key,
      });
      Object.assign(record, { status: answer.status, code: answer.code ?? '', tries: attempt });
      const retry =
        answer.status === 0 ||
        answer.status >= 500 ||
        (answer.status === 409 && answer.code === 'REQUEST_IN_PROGRESS');
      if (!retry) return answer;
      if (signal.aborted) return answer;
      await sleep(1000);
    }
    return undefined;
  }
  const choose = () => {
    let roll = Math.random();
    for (const [share, run] of operations) {
      roll -= share;
      if (roll < 0) return run;
    }
    return operations[0][1];
  };
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (!signal.aborted) {
        const answer = await choose()(pick(members));
        // A client backs off a little after a failure instead of spinning on a dead dependency.
        if (answer && (answer.status === 0 || answer.status >= 500)) await sleep(50);
      }
    }),
  );
  return { calls, spends };
}
