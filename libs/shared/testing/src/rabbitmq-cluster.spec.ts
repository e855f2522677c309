import { parseQueueLines } from './rabbitmq-cluster';

describe(parseQueueLines.name, () => {
  it('names the leader of a quorum queue and the home node of a classic one', () => {
    const sut = parseQueueLines(
      [
        'point.events\tquorum\t3\t1\t<ms-c1-2@localhost.1796616772.1134.0>\tms-c1-2@localhost',
        'legacy\tclassic\t0\t0\t<ms-c1-3@localhost.1796616671.682.0>\t',
        '',
      ].join('\n'),
    );
    expect(sut).toEqual([
      { name: 'point.events', type: 'quorum', messages: 3, unacked: 1, node: 'ms-c1-2@localhost' },
      { name: 'legacy', type: 'classic', messages: 0, unacked: 0, node: 'ms-c1-3@localhost' },
    ]);
  });

  it('skips lines that are not queue rows', () => {
    expect(parseQueueLines('Timeout: 60.0 seconds ...\nListing queues for vhost / ...\n')).toEqual(
      [],
    );
  });
});
