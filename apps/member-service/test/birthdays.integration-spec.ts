import type { INestApplicationContext } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Registry } from 'prom-client';
import { JobMetrics, JobRegistry, JobScheduler } from '@member-system/shared/service';
import type { IntegrationEnv } from '@member-system/shared/testing';
import { openIntegrationEnv, outboxEvents, testLogger } from '@member-system/shared/testing';
import { Clock } from '@member-system/shared/service';
import { GreetBirthdaysJob } from '../src/birthdays/commands/greet-birthdays/greet-birthdays.job';
import { memberDatabase } from '../src/database/data-source';
import { RegisterMemberCommand } from '../src/members/commands/register-member/register-member.command';
import { startMemberService } from './member-service-kit';

interface Birthday {
  memberId: string;
  userId: string;
  year: number;
  date: string;
}

describe(GreetBirthdaysJob.name, () => {
  let env: IntegrationEnv;
  let app: INestApplicationContext;
  let sut: GreetBirthdaysJob;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    env = await openIntegrationEnv(memberDatabase);
    app = await startMemberService(env);
    sut = app.get(GreetBirthdaysJob);
    const commandBus = app.get(CommandBus);
    const people = {
      may6: '1990-05-06',
      leapling: '1992-02-29',
      erased: '1985-05-06',
      feb28: '1999-02-28',
    };
    let userId = 61_000;
    for (const [name, birthday] of Object.entries(people)) {
      const registration = new RegisterMemberCommand(String((userId += 1)), { birthday });
      ids[name] = (await commandBus.execute(registration)).member.id;
    }
    await env.dataSource.query(
      'UPDATE member SET erased_at = NOW(3), birthday_month_day = NULL WHERE id = ?',
      [ids['erased']],
    );
  });

  afterAll(async () => {
    await app.close();
    await env.close();
  });

  async function greeted(year: number): Promise<string[]> {
    return (await outboxEvents<Birthday>(env, 'member.birthday.v1'))
      .filter((event) => event.year === year)
      .map((event) => event.memberId)
      .sort();
  }

  it('greets on the birthday in the business time zone, not the UTC date', async () => {
    await expect(sut.run(new Date('2026-05-05T15:59:00Z'))).resolves.toMatchObject({
      date: '2026-05-05',
      greeted: 0,
    });
    await expect(sut.run(new Date('2026-05-05T16:01:00Z'))).resolves.toMatchObject({
      date: '2026-05-06',
      greeted: 1,
    });

    expect(await greeted(2026)).toEqual([ids['may6']]);
    const [event] = (await outboxEvents<Birthday>(env, 'member.birthday.v1')).filter(
      (e) => e.memberId === ids['may6'],
    );
    expect(event).toMatchObject({ year: 2026, date: '2026-05-06' });
  });

  it('greets each member once a year however often it runs', async () => {
    await expect(sut.run(new Date('2026-05-06T03:00:00Z'))).resolves.toMatchObject({ greeted: 0 });
    await expect(sut.run(new Date('2026-05-06T09:00:00Z'))).resolves.toMatchObject({ greeted: 0 });

    expect(await greeted(2026)).toEqual([ids['may6']]);
  });

  it('celebrates 29 February on the 28th in common years and on the 29th in leap years', async () => {
    await sut.run(new Date('2027-02-28T02:00:00Z'));
    expect(await greeted(2027)).toEqual([ids['leapling'], ids['feb28']].sort());

    await sut.run(new Date('2028-02-28T02:00:00Z'));
    expect(await greeted(2028)).toEqual([ids['feb28']]);
    await sut.run(new Date('2028-02-29T02:00:00Z'));
    expect(await greeted(2028)).toEqual([ids['leapling'], ids['feb28']].sort());
  });
});

describe(JobScheduler.name, () => {
  let env: IntegrationEnv;
  let app: INestApplicationContext;

  beforeAll(async () => {
    env = await openIntegrationEnv(memberDatabase);
    app = await startMemberService(env);
  });

  afterAll(async () => {
    await app.close();
    await env.close();
  });

  it('runs a daily job once its time has come, once per day across replicas', async () => {
    const replica = (): JobScheduler =>
      new JobScheduler(
        env.dataSource,
        app.get(JobRegistry),
        new Clock(),
        testLogger(),
        { timeZone: 'Asia/Shanghai', tickMs: 60_000, retryAfterMs: 600_000 },
        new JobMetrics(new Registry()),
      );
    const [first, second] = [replica(), replica()];
    const birthdays = (results: Array<{ job: string }>): number =>
      results.filter((run) => run.job === 'birthdays').length;

    expect(birthdays(await first.tick(new Date('2030-03-01T16:03:00Z')))).toBe(0); // 00:03 in Shanghai
    const racing = await Promise.all([
      first.tick(new Date('2030-03-01T16:06:00Z')),
      second.tick(new Date('2030-03-01T16:06:00Z')),
    ]);
    expect(racing.map(birthdays).sort()).toEqual([0, 1]);
    expect(birthdays(await second.tick(new Date('2030-03-02T03:00:00Z')))).toBe(0);
    expect(birthdays(await second.tick(new Date('2030-03-02T16:10:00Z')))).toBe(1);

    const runs = await env.dataSource.query<Array<{ period_key: string; outcome: string }>>(
      "SELECT period_key, outcome FROM job_run WHERE job = 'birthdays' ORDER BY id",
    );
    expect(runs).toEqual([
      { period_key: '2030-03-02', outcome: 'succeeded' },
      { period_key: '2030-03-03', outcome: 'succeeded' },
    ]);
  });
});
