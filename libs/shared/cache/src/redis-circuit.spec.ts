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
    expect(sut.isOpen).toBe(false);
  });

  it('skips Redis without sending anything for a while after a failure', async () => {
    const sut = new RedisCircuit({ timeoutMs: 100, openMs: 2000 });
    await expect(sut.run('get', failing)).rejects.toThrow('Connection is closed.');
    const command = jest.fn(() => Promise.resolve('1'));

    now += 1999;
    await expect(sut.run('get', command)).rejects.toBeInstanceOf(RedisSkippedError);

    expect(command).not.toHaveBeenCalled();
    expect(sut.isOpen).toBe(true);
  });

  it('lets one command try again after the pause, and closes when it answers', async () => {
    const sut = new RedisCircuit({ timeoutMs: 100, openMs: 2000 });
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
    expect(sut.isOpen).toBe(false);
  });

  it('skips again when the command trying Redis fails', async () => {
    const sut = new RedisCircuit({ timeoutMs: 100, openMs: 2000 });
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
    const sut = new RedisCircuit({ timeoutMs: 20, openMs: 60_000 });

    await expect(sut.run('get', () => new Promise<string>(() => undefined))).rejects.toThrow(
      /did not answer within 20 ms/,
    );
    await expect(sut.run('get', () => Promise.resolve('1'))).rejects.toBeInstanceOf(
      RedisSkippedError,
    );
  });
});
