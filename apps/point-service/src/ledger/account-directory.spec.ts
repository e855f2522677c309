import type { DataSource, EntityManager } from 'typeorm';
import { ErrorCode } from '@member-system/contracts';
import type { MemberRef } from '@member-system/contracts';
import type { MemberOwner, ReadDatabase } from '@member-system/shared/service';
import { AccountDirectory } from './account-directory';
import type { Ledger } from './core/ledger';

/** A manager whose point_account holds `rows`, counting the queries it answers. */
function managerWith(rows: Array<{ member_id: string; user_id: string }>) {
  const calls: unknown[][] = [];
  const manager = {
    query: (sql: string, params: unknown[]) => {
      calls.push(params);
      const column = sql.includes('WHERE user_id') ? 'user_id' : 'member_id';
      return Promise.resolve(rows.filter((row) => row[column] === params[0]));
    },
  } as unknown as EntityManager;
  return { manager, calls };
}

/** member-service knowing `members`; the ledger opening accounts into `opened`. */
function directoryWith(members: MemberRef[] = [], primary = managerWith([]).manager) {
  const opened: unknown[] = [];
  const owner = {
    find: (subject: { userId: string } | { memberId: string }) =>
      Promise.resolve(
        members.find((member) =>
          'userId' in subject
            ? member.userId === subject.userId
            : member.memberId === subject.memberId,
        ),
      ),
  } as unknown as MemberOwner;
  const ledger = {
    openAccount: (_manager: EntityManager, account: unknown) => {
      opened.push(account);
      return Promise.resolve(true);
    },
  } as unknown as Ledger;
  const dataSource = { manager: primary } as unknown as DataSource;
  return { sut: new AccountDirectory(owner, ledger, dataSource), opened };
}

describe(AccountDirectory.name, () => {
  it('reads an account once, then knows it by user id and by member id', async () => {
    const { manager, calls } = managerWith([{ member_id: '7', user_id: '4001' }]);
    const { sut: directory } = directoryWith();
    const expected = { memberId: '7', userId: '4001' };
    expect(await directory.ofUser(manager, '4001')).toEqual(expected);
    expect(await directory.ofUser(manager, '4001')).toEqual(expected);
    expect(await directory.of(manager, { memberId: '7' })).toEqual(expected);
    expect(calls).toHaveLength(1);
  });

  it('never remembers an account that is not there yet', async () => {
    const rows: Array<{ member_id: string; user_id: string }> = [];
    const { manager, calls } = managerWith(rows);
    const { sut: directory } = directoryWith();
    await expect(directory.ofUser(manager, '4002')).rejects.toMatchObject({
      code: ErrorCode.PointAccountNotFound,
    });
    rows.push({ member_id: '8', user_id: '4002' });
    expect(await directory.ofUser(manager, '4002')).toEqual({ memberId: '8', userId: '4002' });
    expect(calls).toHaveLength(2);
  });

  it('knows a pair it was told (an account just opened) without reading it', async () => {
    const { manager, calls } = managerWith([]);
    const { sut: directory } = directoryWith();
    directory.remember({ memberId: '9', userId: '4003' });
    expect(await directory.ofUser(manager, '4003')).toEqual({ memberId: '9', userId: '4003' });
    expect(await directory.of(manager, { memberId: '9' })).toEqual({
      memberId: '9',
      userId: '4003',
    });
    expect(calls).toHaveLength(0);
  });

  it('opens the account of a member member-service knows but has not announced yet', async () => {
    const { manager } = managerWith([]);
    const { sut, opened } = directoryWith([
      { memberId: '10', userId: '4004', levelId: 1, levelVersion: 1 },
    ]);
    await expect(sut.ofUser(manager, '4004')).resolves.toEqual({ memberId: '10', userId: '4004' });
    expect(opened).toEqual([{ memberId: '10', userId: '4004' }]);
  });

  it('answers 404 when member-service knows no such member either', async () => {
    const { manager } = managerWith([]);
    const { sut, opened } = directoryWith([]);
    await expect(sut.ofUser(manager, '4005')).rejects.toMatchObject({
      code: ErrorCode.PointAccountNotFound,
    });
    expect(opened).toEqual([]);
  });

  it('serves a query from the read side when the account is there', async () => {
    const replica = managerWith([{ member_id: '11', user_id: '4006' }]);
    const primary = managerWith([]);
    const { sut, opened } = directoryWith([], primary.manager);
    await expect(sut.forQuery(readsOn(replica.manager), { userId: '4006' })).resolves.toEqual({
      memberId: '11',
      userId: '4006',
    });
    expect(primary.calls).toHaveLength(0);
    expect(opened).toEqual([]);
  });

  it('answers a query of a member who registered a moment ago, opening the account', async () => {
    const replica = managerWith([]);
    const { sut, opened } = directoryWith([
      { memberId: '12', userId: '4007', levelId: 1, levelVersion: 1 },
    ]);
    await expect(sut.forQuery(readsOn(replica.manager), { userId: '4007' })).resolves.toEqual({
      memberId: '12',
      userId: '4007',
    });
    expect(opened).toEqual([{ memberId: '12', userId: '4007' }]);
  });

  it('answers a query 404 only when member-service knows no such member', async () => {
    const replica = managerWith([]);
    const { sut, opened } = directoryWith([]);
    await expect(sut.forQuery(readsOn(replica.manager), { userId: '4008' })).rejects.toMatchObject({
      code: ErrorCode.PointAccountNotFound,
    });
    expect(opened).toEqual([]);
  });
});

/** A read side that runs every read on `manager`. */
function readsOn(manager: EntityManager): ReadDatabase {
  return { read: (work: (manager: EntityManager) => unknown) => work(manager) } as ReadDatabase;
}
