import type { INestApplicationContext } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { AppMetrics } from '@member-system/shared/observability';
import type { IntegrationEnv } from '@member-system/shared/testing';
import { openIntegrationEnv } from '@member-system/shared/testing';
import { memberDatabase } from '../src/database/data-source';
import { RegisterMemberCommand } from '../src/members/commands/register-member/register-member.command';
import { MemberCacheWarmer } from '../src/members/member-cache-warmer';
import { GetMemberQuery } from '../src/members/queries/get-member/get-member.query';
import { startMemberService } from './member-service-kit';

describe(MemberCacheWarmer.name, () => {
  let env: IntegrationEnv;
  let app: INestApplicationContext;

  beforeAll(async () => {
    env = await openIntegrationEnv(memberDatabase);
    app = await startMemberService(env, { MEMBER_CACHE_WARM_COUNT: 2 });
  });

  afterAll(async () => {
    await app.close();
    await env.close();
  });

  async function profileReads(result: string): Promise<number> {
    const { values } = await app
      .get(AppMetrics)
      .registry.getSingleMetric('ms_cache_requests_total')!
      .get();
    return values
      .filter(
        (value) => value.labels['cache'] === 'member:info' && value.labels['result'] === result,
      )
      .reduce((sum, value) => sum + value.value, 0);
  }

  it('loads the most recently active profiles, so their first read is a local hit', async () => {
    const commandBus = app.get(CommandBus);
    for (const userId of ['71001', '71002', '71003'])
      await commandBus.execute(new RegisterMemberCommand(userId, { nickname: `n${userId}` }));
    await env.dataSource.query("UPDATE member SET updated_at = '2020-01-01' WHERE user_id = 71001");

    await expect(app.get(MemberCacheWarmer).warm()).resolves.toBe(2);
    const before = { local: await profileReads('local_hit'), miss: await profileReads('miss') };
    await app.get(QueryBus).execute(new GetMemberQuery('71003'));
    await app.get(QueryBus).execute(new GetMemberQuery('71001'));

    expect(await profileReads('local_hit')).toBe(before.local + 1);
    expect(await profileReads('miss')).toBe(before.miss + 1);
  });
});
