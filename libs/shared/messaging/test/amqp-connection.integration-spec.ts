import { amqpUrl, createVhost, deleteVhost, newTestRunId } from '@member-system/shared/testing';
import { connectAmqp, connectFirst, waitForAmqp } from '../src';

describe('RABBITMQ_URL with the nodes of a cluster', () => {
  const vhost = `ms_${newTestRunId()}`;
  /** A node that is down: nothing listens on port 1. */
  const down = 'amqp://guest:guest@127.0.0.1:1';

  beforeAll(async () => {
    await createVhost(vhost);
  });

  afterAll(async () => {
    await deleteVhost(vhost);
  });

  it('connects an app to the next node when the first does not answer', async () => {
    const sut = connectAmqp(`${down},${amqpUrl(vhost)}`, 'cluster-test');
    try {
      await expect(waitForAmqp(sut, 10_000)).resolves.toBeUndefined();
    } finally {
      await sut.close();
    }
  });

  it('connects a command line tool to the first node that answers', async () => {
    const sut = await connectFirst(`${down}, ${amqpUrl(vhost)}`);

    await expect(sut.createChannel().then((channel) => channel.close())).resolves.toBeUndefined();
    await sut.close();
  });

  it('says which nodes did not answer when none does', async () => {
    await expect(connectFirst(`${down},amqp://guest:guest@127.0.0.1:2`)).rejects.toThrow(
      'no RabbitMQ node of RABBITMQ_URL answered: ',
    );
  });
});
