import { randomBytes } from 'node:crypto';
import { CommandBus } from '@nestjs/cqrs';
import { ReadDatabase } from '@member-system/shared/service';
import type { IntegrationEnv } from '@member-system/shared/testing';
import { openIntegrationEnv } from '@member-system/shared/testing';
import { MemberServiceConfig } from '../src/config/member-service.config';
import { memberDatabase } from '../src/database/data-source';
import { RegisterMemberCommand } from '../src/members/commands/register-member/register-member.command';
import { MemberPii } from '../src/members/member-pii';
import { ReEncryptPiiCommand } from '../src/profiles/commands/re-encrypt-pii/re-encrypt-pii.command';
import { ReEncryptPiiHandler } from '../src/profiles/commands/re-encrypt-pii/re-encrypt-pii.handler';
import { UpdateProfileCommand } from '../src/profiles/commands/update-profile/update-profile.command';
import { GetMemberForAdminHandler } from '../src/profiles/queries/get-member-for-admin/get-member-for-admin.handler';
import { GetMemberForAdminQuery } from '../src/profiles/queries/get-member-for-admin/get-member-for-admin.query';
import { startMemberService } from './member-service-kit';

const keyA = randomBytes(32).toString('base64');
const keyB = randomBytes(32).toString('base64');

function piiWith(keys: string, activeKeyId: string): MemberPii {
  return new MemberPii(
    Object.assign(new MemberServiceConfig(), { PII_KEYS: keys, PII_ACTIVE_KEY_ID: activeKeyId }),
  );
}

const CIPHERTEXT_COLUMNS = [
  'phone_ciphertext',
  'email_ciphertext',
  'birthday_ciphertext',
  'real_name_ciphertext',
];

describe(ReEncryptPiiHandler.name, () => {
  let env: IntegrationEnv;
  const rotating = piiWith(`a:${keyA},b:${keyB}`, 'b');
  const underB = piiWith(`b:${keyB}`, 'b');
  const profiles = [
    {
      userId: '9001',
      phone: '13944445555',
      email: 'ann@example.com',
      birthday: '1980-01-02',
      realName: '张三',
    },
    {
      userId: '9002',
      phone: '+14155550123',
      email: 'bob@example.com',
      birthday: '1999-12-31',
      realName: 'Bob',
    },
    {
      userId: '9003',
      phone: '13944446666',
      email: 'cy@example.com',
      birthday: '2000-02-29',
      realName: 'Cy',
    },
  ];
  const memberIds = new Map<string, string>();

  beforeAll(async () => {
    env = await openIntegrationEnv(memberDatabase);
    // The service itself writes the profiles, under key A.
    const app = await startMemberService(env, { PII_KEYS: `a:${keyA}`, PII_ACTIVE_KEY_ID: 'a' });
    const commandBus = app.get(CommandBus);
    for (const { userId, realName, ...profile } of profiles) {
      const { member } = await commandBus.execute(new RegisterMemberCommand(userId, profile));
      memberIds.set(userId, member.id);
      await commandBus.execute(new UpdateProfileCommand(userId, { realName }));
    }
    // A member without PII has nothing to re-encrypt.
    await commandBus.execute(new RegisterMemberCommand('9004', { nickname: 'No PII' }));
    await app.close();
  });

  afterAll(async () => {
    await env.close();
  });

  async function rows(): Promise<Array<Record<string, string | null>>> {
    return env.dataSource.query(
      `SELECT id, updated_at, phone_blind_index, email_blind_index, ${CIPHERTEXT_COLUMNS.join(', ')}
         FROM member ORDER BY id`,
    );
  }

  it('moves every ciphertext from key A to key B, after which a ring without A reads them all', async () => {
    const before = await rows();
    const readerB = new GetMemberForAdminHandler(new ReadDatabase(env.dataSource), underB);
    const readUnderB = (userId: string) =>
      readerB.execute(new GetMemberForAdminQuery(memberIds.get(userId) ?? '', true));
    const [first] = profiles;
    await expect(readUnderB(first?.userId ?? '')).rejects.toThrow(/unknown key id/);

    const report = await new ReEncryptPiiHandler(env.dataSource, rotating).execute(
      new ReEncryptPiiCommand(2),
    );

    expect(report).toEqual({ activeKeyId: 'b', rows: 3, values: 12 });
    const after = await rows();
    for (const row of after) {
      for (const column of CIPHERTEXT_COLUMNS) {
        if (row[column] !== null) expect(row[column]).toMatch(/^b:/);
      }
    }
    // Blind indexes have their own key, and a rewrite is not a profile change.
    expect(
      after.map(({ id, updated_at, phone_blind_index, email_blind_index }) => ({
        id,
        updated_at,
        phone_blind_index,
        email_blind_index,
      })),
    ).toEqual(
      before.map(({ id, updated_at, phone_blind_index, email_blind_index }) => ({
        id,
        updated_at,
        phone_blind_index,
        email_blind_index,
      })),
    );
    for (const { userId, ...profile } of profiles) {
      await expect(readUnderB(userId)).resolves.toMatchObject(profile);
    }
  });

  it('finds nothing left to do on a second run', async () => {
    const sut = new ReEncryptPiiHandler(env.dataSource, underB);
    await expect(sut.execute(new ReEncryptPiiCommand())).resolves.toEqual({
      activeKeyId: 'b',
      rows: 0,
      values: 0,
    });
  });
});
