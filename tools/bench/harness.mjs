// What the bench drivers (bench.mjs, order-events.mjs, ledger.mjs) share: their command line
// (--help, a bad option answered with the usage) and a run's life on a fleet of its own: a time
// budget, Ctrl-C, steps printed with their duration, each process's CPU over a measurement,
// cleanup exactly once (the driver's clients, then the apps, schemas, vhosts and Redis keys), the
// apps' log lines as report notes, and an exit code that says whether the run worked. The load
// loop with its warm-up and percentiles is load.mjs's runLoad; the machine is machine.mjs's.
import os from 'node:os';

export const print = (text = '') => process.stdout.write(`${text}\n`);

/** Never settles: what a step becomes once interrupted, while abortWith() cleans up and exits. */
const halt = () => new Promise(() => {});

/**
 * The options `parse(argv)` reads (it throws with a message on a bad one). Prints the usage and
 * exits 0 when they ask for help, prints the message and the usage and exits 1 on a bad option.
 */
export function parseCommandLine(command, usage, parse, argv = process.argv.slice(2)) {
  let options;
  try {
    options = parse(argv);
  } catch (error) {
    console.error(`${command}: ${error.message}\n\n${usage}`);
    process.exit(1);
  }
  if (options.help) {
    print(usage);
    process.exit(0);
  }
  return options;
}

export class BenchRun {
  /** os.loadavg() when the run began, before it loaded the machine itself. */
  loadAtStart = os.loadavg();
  #controller = new AbortController();
  #closers = [];
  #removals = [];
  #budgetTimer;
  #cleaned;

  /** `env` is the run's BenchEnvironment; Ctrl-C and a process exit stop its fleet. */
  constructor(env) {
    this.env = env;
    for (const signal of ['SIGINT', 'SIGTERM']) {
      process.on(signal, () => void this.abortWith('Interrupted', 130));
    }
    process.on('exit', () => env.fleet.signal('SIGKILL'));
  }

  get signal() {
    return this.#controller.signal;
  }

  /** A client of the driver's (HTTP, pool, publisher) to close before the fleet stops. */
  onCleanUp(close) {
    this.#closers.push(close);
  }

  /** Something to remove after the fleet stopped; a failure is reported as `what: message`. */
  afterTearDown(what, remove) {
    this.#removals.push({ what, remove });
  }

  /** Aborts the run if it is still in `phase` after `ms`; replaces the previous phase's budget. */
  budget(phase, ms) {
    clearTimeout(this.#budgetTimer);
    this.#budgetTimer = setTimeout(
      () => void this.abortWith(`Still ${phase} after ${Math.round(ms / 1000)} s`, 1),
      ms,
    );
    this.#budgetTimer.unref();
  }

  /** Runs `work`, printed as `• label ... 1.2 s`. */
  async step(label, work) {
    if (this.signal.aborted) return halt();
    const since = Date.now();
    process.stdout.write(`• ${label} ... `);
    const result = await work();
    if (this.signal.aborted) return halt();
    print(`${((Date.now() - since) / 1000).toFixed(1)} s`);
    return result;
  }

  /** Runs `work`; resolves with its result and each process's CPU over it, in % of one core. */
  async withCpu(work) {
    const before = this.env.cpuSeconds();
    const since = performance.now();
    const result = await work();
    const seconds = (performance.now() - since) / 1000;
    const cpu = Object.fromEntries(
      Object.entries(this.env.cpuSeconds()).map(([key, used]) => [
        key,
        Math.round((100 * (used - (before[key] ?? 0))) / seconds),
      ]),
    );
    return { result, cpu };
  }

  /** Closes the driver's clients, tears the environment down, removes the rest. Once; never throws. */
  cleanUp() {
    this.#cleaned ??= (async () => {
      for (const close of this.#closers) await Promise.resolve(close()).catch(() => {});
      const problems = await this.env.tearDown();
      for (const { what, remove } of this.#removals) {
        await Promise.resolve(remove()).catch((error) =>
          problems.push(`${what}: ${error.message}`),
        );
      }
      return problems;
    })();
    return this.#cleaned;
  }

  async abortWith(message, code) {
    if (this.signal.aborted) return;
    this.#controller.abort();
    print(`\n${message}: stopping everything and removing the bench's data...`);
    const problems = await this.cleanUp();
    problems.forEach((problem) => print(`  ✗ ${problem}`));
    process.exit(code);
  }

  /**
   * Prints `title`, runs `measure` (resolves with a report that has `notes`), cleans up (printed
   * as `stopLabel`), then adds the apps' log lines to the notes and hands the report to `finish`
   * (writes and prints it). Exits: 0 if the run worked, 1 if it failed or left something behind;
   * whether targets were met is the report's business.
   */
  async run({ title, measure, stopLabel, finish }) {
    let report;
    let failed = false;
    try {
      print(title);
      report = await measure();
    } catch (error) {
      if (this.signal.aborted) await halt();
      failed = true;
      print(`\n✗ ${error.stack ?? error.message}`);
    }
    const problems = await this.step(stopLabel, () => this.cleanUp());
    problems.forEach((problem) => print(`  ✗ ${problem}`));
    if (report) {
      report.notes.push(...appLogNotes(this.env.logs));
      await finish(report);
    }
    process.exit(failed || problems.length > 0 ? 1 : 0);
  }
}

/** One note per app: the lines it printed at LOG_LEVEL=warn, and the first of them. */
export function appLogNotes(logs) {
  return Object.entries(logs).map(([name, log]) => {
    const first = log.first[0] ? `; the first: \`${log.first[0]}\`` : '';
    return `${name} printed ${log.lines} line(s) at LOG_LEVEL=warn${first}`;
  });
}
