import { SingleFlight } from './single-flight';
import type { Flight } from './single-flight';

function deferred<T>(): {
  promise: Promise<T>;
  resolve: (v: T) => void;
  reject: (e: Error) => void;
} {
  let resolve!: (v: T) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe(SingleFlight.name, () => {
  let sut: SingleFlight<string>;

  beforeEach(() => {
    sut = new SingleFlight<string>();
  });

  it('runs the work once for concurrent calls on one key and shares the value', async () => {
    const gate = deferred<string>();
    const work = jest.fn(() => gate.promise);

    const calls = Array.from({ length: 20 }, () => sut.run('k', work));
    gate.resolve('v');

    await expect(Promise.all(calls)).resolves.toEqual(Array(20).fill('v'));
    expect(work).toHaveBeenCalledTimes(1);
    expect(sut.size).toBe(0);
  });

  it('shares a failure with every waiting caller, then lets the next call try again', async () => {
    const gate = deferred<string>();
    const failing = jest.fn(() => gate.promise);
    const first = sut.run('k', failing);
    const second = sut.run('k', failing);
    gate.reject(new Error('mysql down'));

    await expect(first).rejects.toThrow('mysql down');
    await expect(second).rejects.toThrow('mysql down');
    expect(failing).toHaveBeenCalledTimes(1);
    await expect(sut.run('k', () => Promise.resolve('ok'))).resolves.toBe('ok');
  });

  it('clears a flight whose work throws synchronously', async () => {
    const throwing = (): Promise<string> => {
      throw new Error('boom');
    };

    await expect(sut.run('k', throwing)).rejects.toThrow('boom');
    expect(sut.size).toBe(0);
  });

  it('runs different keys separately', async () => {
    const work = jest.fn((key: string) => Promise.resolve(key.toUpperCase()));

    await expect(
      Promise.all([sut.run('a', () => work('a')), sut.run('b', () => work('b'))]),
    ).resolves.toEqual(['A', 'B']);
    expect(work).toHaveBeenCalledTimes(2);
  });

  it('starts a fresh flight after supersede and tells the old one it was overtaken', async () => {
    const gate = deferred<string>();
    let oldFlight: Flight | undefined;
    const old = sut.run('k', (flight) => {
      oldFlight = flight;
      return gate.promise;
    });
    await Promise.resolve(); // the work starts a microtask later
    const fresh = jest.fn(() => Promise.resolve('new'));

    sut.supersede('k');
    const next = sut.run('k', fresh);

    expect(oldFlight?.superseded).toBe(true);
    await expect(next).resolves.toBe('new');
    expect(fresh).toHaveBeenCalledTimes(1);
    gate.resolve('old');
    await expect(old).resolves.toBe('old');
    expect(sut.size).toBe(0);
  });

  it('supersedes every running flight at once', async () => {
    const flights: Flight[] = [];
    const gate = deferred<string>();
    const runs = ['a', 'b'].map((key) =>
      sut.run(key, (flight) => {
        flights.push(flight);
        return gate.promise;
      }),
    );
    await Promise.resolve();

    sut.supersedeAll();

    expect(sut.size).toBe(0);
    expect(flights.map((flight) => flight.superseded)).toEqual([true, true]);
    gate.resolve('v');
    await expect(Promise.all(runs)).resolves.toEqual(['v', 'v']);
  });
});
