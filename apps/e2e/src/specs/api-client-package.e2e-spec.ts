// The API client as a client developer gets it: @member-system/api-client built and packed, then
// installed into a fresh project outside the monorepo, type-checked there against the package's
// own types, and run against the fleet's gateway.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '@member-system/shared/testing';
import { api, memberToken, nextUserId } from '../support/api';
import { fleetInfo } from '../support/fleet';

const PACKAGE_DIR = join(repoRoot, 'libs/api-client');
const TSC = join(repoRoot, 'node_modules/typescript/bin/tsc');

/** The scratch project's compiler options: strict, and only the package's own types. */
const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'commonjs',
    moduleResolution: 'node',
    lib: ['ES2022', 'DOM'],
    types: [],
    strict: true,
    outDir: 'out',
  },
  files: ['consumer.ts'],
};

/**
 * What a client app writes. The `@ts-expect-error` lines only compile when the package's types
 * refuse what they mark: with loose (`any`) types, tsc fails on the unused directives.
 */
const CONSUMER = `
import { ApiError, createApiClient, dataOf } from '@member-system/api-client';
import type { Schemas } from '@member-system/api-client';

declare const process: { env: Record<string, string | undefined>; exitCode?: number };

async function main(): Promise<void> {
  let tokenRequests = 0;
  const api = createApiClient({
    baseUrl: process.env.GATEWAY_URL ?? '',
    token: () => {
      tokenRequests += 1;
      return process.env.MEMBER_TOKEN;
    },
  });

  const member: Schemas['MemberView'] = await dataOf(
    api.POST('/api/v1/members', {
      body: { nickname: 'Packed Ann', gender: 'female' },
      params: { header: { 'Idempotency-Key': 'register-' + process.env.USER_ID } },
    }),
  );

  // The points account opens when point-service has seen the registration.
  let calls = 1;
  let opened = false;
  for (let attempt = 0; attempt < 300 && !opened; attempt += 1) {
    calls += 1;
    try {
      await dataOf(api.GET('/api/v1/points/me/balance'));
      opened = true;
    } catch (error) {
      if (!(error instanceof ApiError) || error.code !== 'POINT_ACCOUNT_NOT_FOUND') throw error;
      await new Promise((wait) => setTimeout(wait, 100));
    }
  }

  const checkIn = await dataOf(api.POST('/api/v1/points/me/check-in'));
  const balance = await dataOf(api.GET('/api/v1/points/me/balance'));
  const available: number = balance.available;
  calls += 3;

  let refused: { status: number; code: string; correlationId?: string } | undefined;
  try {
    await dataOf(
      api.POST('/api/v1/points/me/use', {
        body: { points: available + 1, orderId: process.env.USER_ID ?? '1' },
      }),
    );
  } catch (error) {
    if (error instanceof ApiError) {
      refused = { status: error.status, code: error.code, correlationId: error.correlationId };
    } else {
      throw error;
    }
  }

  console.log(JSON.stringify({ member, checkIn, available, refused, tokenRequests, calls }));
}

/** Never called: compiles only while the package's types refuse each marked line. */
async function wrongUses(api: ReturnType<typeof createApiClient>): Promise<void> {
  // @ts-expect-error nickname is a string
  await api.POST('/api/v1/members', { body: { nickname: 42 } });
  // @ts-expect-error the path takes holdId
  await api.POST('/api/v1/points/me/holds/{holdId}/capture', {});
  const balance = await dataOf(api.GET('/api/v1/points/me/balance'));
  // @ts-expect-error the balance has no such field
  console.log(balance.availablePoints);
}
void wrongUses;

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
`;

interface ConsumerOutput {
  member: { id: string; nickname: string | null };
  checkIn: { points: number; balanceAfter: number; streak: number };
  available: number;
  refused?: { status: number; code: string; correlationId?: string };
  tokenRequests: number;
  calls: number;
}

/**
 * Runs a command and gives its stdout. Asynchronous on purpose: blocking the event loop for the
 * install and type-check would leave this process's idle keep-alive connections to the gateway
 * unaware that the gateway closed them, and the next request would fail on a dead socket.
 */
const run = async (
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
): Promise<string> => {
  const { stdout } = await promisify(execFile)(command, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
};

describe('@member-system/api-client installed outside the monorepo', () => {
  let scratch: string;

  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'member-system-client-'));
  });

  afterAll(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  it('builds, packs, installs, type-checks and calls the fleet: register, check in, balance, ApiError', async () => {
    // Build the package and pack it as npm publishes it.
    await run(process.execPath, [TSC, '-p', join(PACKAGE_DIR, 'tsconfig.lib.json')], repoRoot);
    const [packed] = JSON.parse(
      await run('npm', ['pack', '--json', '--pack-destination', scratch], PACKAGE_DIR),
    ) as { filename: string; files: { path: string }[] }[];
    expect(packed?.files.map((file) => file.path)).toEqual(
      expect.arrayContaining(['package.json', 'README.md', 'dist/index.js', 'dist/index.d.ts']),
    );

    // A fresh project that knows nothing of the monorepo.
    const project = join(scratch, 'consumer');
    mkdirSync(project);
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }),
    );
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify(TSCONFIG));
    writeFileSync(join(project, 'consumer.ts'), CONSUMER);
    await run(
      'npm',
      [
        'install',
        join(scratch, packed?.filename ?? ''),
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
      ],
      project,
    );

    // Type-checked against the installed package's .d.ts, then run with node.
    await run(process.execPath, [TSC, '-p', join(project, 'tsconfig.json')], project);
    const userId = nextUserId();
    const token = memberToken(userId);
    const output = JSON.parse(
      await run(process.execPath, [join(project, 'out/consumer.js')], project, {
        GATEWAY_URL: fleetInfo().gatewayUrl,
        MEMBER_TOKEN: token,
        USER_ID: userId,
      }),
    ) as ConsumerOutput;

    expect(output.member).toMatchObject({ userId, nickname: 'Packed Ann' });
    expect(output.checkIn).toMatchObject({ points: 5, balanceAfter: 5, streak: 1 });
    expect(output.available).toBe(5);
    expect(output.refused).toEqual({
      status: 422,
      code: 'POINTS_INSUFFICIENT',
      correlationId: expect.any(String) as string,
    });
    // The provider was asked before every call: register, the balance reads, check-in, spend.
    expect(output.tokenRequests).toBe(output.calls);

    // What the package sent is what the gateway kept: the member, the points, nothing spent.
    const me = await api<{ nickname: string; gender: string }>('GET', '/api/v1/members/me', {
      token,
    });
    expect(me.body).toMatchObject({ nickname: 'Packed Ann', gender: 'female' });
    const balance = await api<{ available: number; lifetimeUsed: number }>(
      'GET',
      '/api/v1/points/me/balance',
      { token },
    );
    expect(balance.body).toMatchObject({ available: 5, lifetimeUsed: 0 });
  }, 240_000);
});
