import { RedisCircuit, RedisSkippedError } from './redis-circuit';

describe(RedisCircuit.name, () => {
  let now = 1_000_000;

  beforeEach(() => {
    jest.spyOn(Date, 'now').mockImplementation(() => now);
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  const failing = () => Promise.reject(new Error('Connection is closed.'));

  it('runs commands while Redis answers', async () => {
    const sut = new RedisCircuit({ timeoutMs: 100, openMs: 2000 });

    await expect(sut.run('get', () => Promise.resolve('1'))).resolves.toBe('1');
    await expect(sut.run('get', () => Promise.resolve('2'))).resolves.toBe('2');
  });

  it('keeps trying Redis after a failure or two, separated by an answer', async () => {
    const sut = new RedisCircuit({ timeoutMs: 100, openMs: 2000, failuresToOpen: 3 });
    await expect(sut.run('get', failing)).rejects.toThrow('Connection is closed.');
    await expect(sut.run('get', failing)).rejects.toThrow('Connection is closed.');
    await expect(sut.run('get', () => Promise.resolve('1'))).resolves.toBe('1');
    await expect(sut.run('get', failing)).rejects.toThrow('Connection is closed.');
    await expect(sut.run('get', failing)).rejects.toThrow('Connection is closed.');

    await expect(sut.run('get', () => Promise.resolve('2'))).resolves.toBe('2');
  });

  it('skips Redis without sending anything for a while after failures in a row', async () => {
    const sut = new RedisCircuit({ timeoutMs: 100, openMs: 2000, failuresToOpen: 2 });
    await expect(sut.run('get', failing)).rejects.toThrow('Connection is closed.');
    await expect(sut.run('get', failing)).rejects.toThrow('Connection is closed.');
    const command = jest.fn(() => Promise.resolve('1'));

    now += 1999;
    await expect(sut.run('get', command)).rejects.toBeInstanceOf(RedisSkippedError);

    expect(command).not.toHaveBeenCalled();
  });

  it('lets one command try again after the pause, and closes when it answers', async () => {
    const sut = new RedisCircuit({ timeoutMs: 100, openMs: 2000, failuresToOpen: 1 });
    await expect(sut.run('get', failing)).rejects.toThrow();
    now += 2000;
    let answer: (value: string) => void = () => undefined;
    const probe = sut.run('get', () => new Promise<string>((resolve) => (answer = resolve)));

    await expect(sut.run('get', () => Promise.resolve('other'))).rejects.toBeInstanceOf(
      RedisSkippedError,
    );
    answer('1');
    await expect(probe).resolves.toBe('1');
    await expect(sut.run('get', () => Promise.resolve('2'))).resolves.toBe('2');
  });

  it('skips again when the command trying Redis fails', async () => {
    const sut = new RedisCircuit({ timeoutMs: 100, openMs: 2000, failuresToOpen: 1 });
    await expect(sut.run('get', failing)).rejects.toThrow();
    now += 2000;

    await expect(sut.run('get', failing)).rejects.toThrow('Connection is closed.');

    now += 1000;
    await expect(sut.run('get', () => Promise.resolve('1'))).rejects.toBeInstanceOf(
      RedisSkippedError,
    );
  });

  it('fails a command that hangs after the timeout, and skips the next', async () => {
    jest.restoreAllMocks();
    const sut = new RedisCircuit({ timeoutMs: 20, openMs: 60_000, failuresToOpen: 1 });

    await expect(sut.run('get', () => new Promise<string>(() => undefined))).rejects.toThrow(
      /did not answer within 20 ms/,
    );
    await expect(sut.run('get', () => Promise.resolve('1'))).rejects.toBeInstanceOf(
      RedisSkippedError,
    );
  });
});
