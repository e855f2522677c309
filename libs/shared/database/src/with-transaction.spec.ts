import type { DataSource, EntityManager } from 'typeorm';
import { MysqlErrno } from './mysql-errors';
import type { IsolationLevel } from './with-transaction';
import { withTransaction } from './with-transaction';

type Work = (manager: EntityManager) => Promise<unknown>;

/** Runs `work` with a fake manager, after failing with the queued errors first. */
class FakeDataSource {
  /** The level each attempt asked for; `session` when it set none (the session's level applies). */
  readonly isolations: Array<IsolationLevel | 'session'> = [];
  readonly manager = {} as EntityManager;

  constructor(private readonly failures: unknown[] = []) {}

  get attempts(): number {
    return this.isolations.length;
  }

  async transaction(isolationOrWork: IsolationLevel | Work, orWork?: Work): Promise<unknown> {
    const [isolation, work] =
      typeof isolationOrWork === 'function'
        ? (['session', isolationOrWork] as const)
        : ([isolationOrWork, orWork as Work] as const);
    this.isolations.push(isolation);
    const result = await work(this.manager);
    if (this.failures.length > 0) throw this.failures.shift();
    return result;
  }

  asDataSource(): DataSource {
    return this as unknown as DataSource;
  }
}

function mysqlError(errno: number): Error & { errno: number } {
  return Object.assign(new Error(`errno ${errno}`), { errno });
}

const deadlock = (): Error => mysqlError(MysqlErrno.Deadlock);
const lockWait = (): Error => mysqlError(MysqlErrno.LockWaitTimeout);

describe(withTransaction.name, () => {
  const sut = withTransaction;

  it('returns what the work returns, run on the transaction manager', async () => {
    const dataSource = new FakeDataSource();
    const managers: EntityManager[] = [];

    await expect(
      sut(dataSource.asDataSource(), (manager) => {
        managers.push(manager);
        return Promise.resolve(42);
      }),
    ).resolves.toBe(42);
    expect(managers).toEqual([dataSource.manager]);
    expect(dataSource.attempts).toBe(1);
  });

  it('uses READ COMMITTED by default, the level every pooled session starts with', async () => {
    const dataSource = new FakeDataSource();

    await sut(dataSource.asDataSource(), () => Promise.resolve(undefined));
    await sut(dataSource.asDataSource(), () => Promise.resolve(undefined), {
      isolation: 'READ COMMITTED',
    });

    expect(dataSource.isolations).toEqual(['session', 'session']);
  });

  it('passes the isolation level it is given', async () => {
    const dataSource = new FakeDataSource([deadlock()]);

    await sut(dataSource.asDataSource(), () => Promise.resolve(undefined), {
      isolation: 'SERIALIZABLE',
    });

    expect(dataSource.isolations).toEqual(['SERIALIZABLE', 'SERIALIZABLE']);
  });

  it('runs the whole unit again after a deadlock and a lock-wait timeout', async () => {
    const dataSource = new FakeDataSource([deadlock(), lockWait()]);
    let runs = 0;

    await expect(
      sut(dataSource.asDataSource(), () => {
        runs += 1;
        return Promise.resolve(runs);
      }),
    ).resolves.toBe(3);
    expect(dataSource.attempts).toBe(3);
  });

  it('retries a deadlock wrapped in a QueryFailedError', async () => {
    const wrapped = Object.assign(new Error('query failed'), { driverError: deadlock() });
    const dataSource = new FakeDataSource([wrapped]);

    await expect(sut(dataSource.asDataSource(), () => Promise.resolve('done'))).resolves.toBe(
      'done',
    );
    expect(dataSource.attempts).toBe(2);
  });

  it('makes 3 extra attempts by default and rethrows the last error', async () => {
    const last = lockWait();
    const dataSource = new FakeDataSource([deadlock(), deadlock(), deadlock(), last, deadlock()]);

    await expect(sut(dataSource.asDataSource(), () => Promise.resolve('never'))).rejects.toBe(last);
    expect(dataSource.attempts).toBe(4);
  });

  it('makes exactly `retries` extra attempts', async () => {
    const dataSource = new FakeDataSource([deadlock(), deadlock(), deadlock()]);

    await expect(
      sut(dataSource.asDataSource(), () => Promise.resolve('never'), { retries: 1 }),
    ).rejects.toMatchObject({ errno: MysqlErrno.Deadlock });
    expect(dataSource.attempts).toBe(2);
  });

  it('does not retry at all when retries is 0', async () => {
    const dataSource = new FakeDataSource([deadlock()]);

    await expect(
      sut(dataSource.asDataSource(), () => Promise.resolve('never'), { retries: 0 }),
    ).rejects.toMatchObject({ errno: MysqlErrno.Deadlock });
    expect(dataSource.attempts).toBe(1);
  });

  it.each([
    ['a duplicate key', mysqlError(MysqlErrno.DuplicateEntry)],
    ['a read-only server', mysqlError(MysqlErrno.ReadOnly)],
    ['a plain error', new Error('boom')],
  ])('does not retry %s', async (_name, error) => {
    const dataSource = new FakeDataSource([error]);

    await expect(sut(dataSource.asDataSource(), () => Promise.resolve('never'))).rejects.toBe(
      error,
    );
    expect(dataSource.attempts).toBe(1);
  });

  it('does not retry an error thrown by the work itself', async () => {
    const dataSource = new FakeDataSource();
    const error = new Error('business rule');

    await expect(sut(dataSource.asDataSource(), () => Promise.reject(error))).rejects.toBe(error);
    expect(dataSource.attempts).toBe(1);
  });
});
