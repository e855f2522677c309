import { HealthIndicatorService } from '@nestjs/terminus';
import { pingIndicator } from './health';

describe(pingIndicator.name, () => {
  const health = new HealthIndicatorService();

  it('is up when the round trip answers', async () => {
    const sut = pingIndicator(health, 'mysql', () => Promise.resolve('PONG'));

    await expect(sut()).resolves.toEqual({ mysql: { status: 'up' } });
  });

  it('is down with the error message when the round trip fails', async () => {
    const sut = pingIndicator(health, 'redis', () =>
      Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379')),
    );

    await expect(sut()).resolves.toEqual({
      redis: { status: 'down', message: 'connect ECONNREFUSED 127.0.0.1:6379' },
    });
  });

  it('reports a rejection that is not an Error as text', async () => {
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the case under test
    const sut = pingIndicator(health, 'rabbitmq', () => Promise.reject('channel closed'));

    await expect(sut()).resolves.toEqual({
      rabbitmq: { status: 'down', message: 'channel closed' },
    });
  });

  it('is down once the timeout passes when the round trip never answers', async () => {
    const sut = pingIndicator(health, 'rabbitmq', () => new Promise<never>(() => undefined), 50);

    await expect(sut()).resolves.toEqual({
      rabbitmq: { status: 'down', message: 'no answer in 50 ms' },
    });
  });
});
