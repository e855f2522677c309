import { replicationStateOf } from './replica-status';

describe(replicationStateOf.name, () => {
  const sut = replicationStateOf;

  it('serves while both replication threads run', () => {
    expect(sut([{ Slave_IO_Running: 'Yes', Slave_SQL_Running: 'Yes' }])).toEqual({ serving: true });
  });

  it.each([
    ['No', 'Yes'],
    ['Yes', 'No'],
    ['Connecting', 'Yes'],
  ])('is down while the IO thread is %s and the SQL thread %s', (io, sql) => {
    expect(sut([{ Slave_IO_Running: io, Slave_SQL_Running: sql }])).toMatchObject({
      serving: false,
      reason: 'down',
    });
  });

  it('names the replication error it is down for', () => {
    const state = sut([
      { Slave_IO_Running: 'Yes', Slave_SQL_Running: 'No', Last_SQL_Error: 'Duplicate entry' },
    ]);

    expect(state).toMatchObject({
      serving: false,
      detail: expect.stringContaining('Duplicate entry'),
    });
  });

  it('is down on a server that replicates from nobody', () => {
    expect(sut([])).toMatchObject({ serving: false, reason: 'down' });
  });
});
