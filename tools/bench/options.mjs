// The command line of `npm run bench`, parsed and checked (pure, so it is tested without a fleet).
import { parseArgs } from 'node:util';
import { CACHED_READS, SCENARIOS, scenarioByName } from './workloads.mjs';

export const USAGE = `Usage: npm run bench -- [options]

Builds the apps into a directory of its own, starts gateway, member-service, point-service and
benefit-service on schemas, a RabbitMQ vhost and a Redis prefix of their own (loopback, free
ports), plus the baselines (a bare Fastify server; a gateway-like Nest app calling a no-op RPC
over RabbitMQ; the raw SQL of a spend and of a check-in; the two-round-trip floor of a FIFO-lot
spend), seeds members and points, measures each scenario at each number of connections, prints
the tables, writes docs/performance/bench.{json,md} and bench-latency.svg, then stops everything
and removes what it created.

  --quick               a smoke run: 3 s per point after 1 s of warm-up, 200 members
  --duration <s>        measured seconds per point (default 10)
  --warmup <s>          unmeasured seconds before each point (default 2)
  --connections <list>  load levels, comma-separated (default 1,16,64,128)
  --scenarios <list>    scenarios to run (default all); their baselines (for spend and
                        check-in also lot-spend-floor) are always added:
                        ${SCENARIOS.map((s) => s.name).join(', ')}
  --members <n>         members for reads and spends (default 1000)
  --scale <n>           first fill the schemas with n members and ~20 history rows each
                        (npm run seed:scale's model), then read and spend as a uniform sample of
                        --members of them (those holding ≥ 100 points) instead of fresh ones
  --passes <k>          run each cached read as exactly k calls per member, no warm-up, instead of for
                        --duration: every run then makes the same calls and meets the caches alike
                        (the first pass misses, the others hit), however fast it goes; the
                        cached reads: ${CACHED_READS.join(', ')}
  --out <name>          report file names: docs/performance/<name>.{json,md} and
                        <name>-latency.svg (default bench)
  --check-in-members <n>  fresh members for check-ins (default: enough for a generous rate)
  -h, --help            show this help`;

const whole = (name, text, min, max) => {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new Error(`--${name} must be a whole number from ${min} to ${max}, got "${text}"`);
  }
  return value;
};

/**
 * Check-ins the run may need: per level, (warm-up + duration) × a rate above what two cores
 * sustain (about 50/s per connection, up to `cap`/s; the service's check-in reached 630/s at 64
 * connections), plus a fifth. A check-in run that still
 * runs out stops early and says so.
 */
export function checkInMembersFor({ connections, duration, warmup, quick }) {
  const cap = quick ? 500 : 800;
  const calls = connections.reduce(
    (sum, c) => sum + (duration + warmup) * Math.min(cap, 50 * c),
    0,
  );
  return Math.ceil(calls * 1.2);
}

/** Parses `argv`; throws with a message for the user on a bad option. `help` true: print USAGE. */
export function parseOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string', default: '1,16,64,128' },
      scenarios: { type: 'string' },
      members: { type: 'string' },
      'check-in-members': { type: 'string' },
      scale: { type: 'string' },
      passes: { type: 'string' },
      out: { type: 'string', default: 'bench' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return { help: true };
  const quick = values.quick;
  const duration = whole('duration', values.duration ?? (quick ? '3' : '10'), 1, 600);
  const warmup = whole('warmup', values.warmup ?? (quick ? '1' : '2'), 0, 60);
  const connections = [
    ...new Set(
      values.connections
        .split(',')
        .map((c) => c.trim())
        .filter(Boolean)
        .map((c) => whole('connections', c, 1, 1024)),
    ),
  ].sort((a, b) => a - b);
  if (connections.length === 0) throw new Error('--connections names no level');
  const asked = values.scenarios
    ? values.scenarios
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : SCENARIOS.map((s) => s.name);
  const unknown = asked.filter((name) => !scenarioByName(name));
  if (unknown.length > 0 || asked.length === 0) {
    throw new Error(
      `--scenarios: unknown "${unknown.join(', ')}"; known: ${SCENARIOS.map((s) => s.name).join(', ')}`,
    );
  }
  const wanted = new Set(
    asked.flatMap((name) => {
      const { baseline, floor } = scenarioByName(name);
      return [name, baseline ?? name, floor ?? name];
    }),
  );
  const scenarios = SCENARIOS.map((s) => s.name).filter((name) => wanted.has(name));
  const members = whole('members', values.members ?? (quick ? '200' : '1000'), 1, 100_000);
  const checkInMembers = scenarios.includes('check-in')
    ? whole(
        'check-in-members',
        values['check-in-members'] ??
          String(checkInMembersFor({ connections, duration, warmup, quick })),
        1,
        500_000,
      )
    : 0;
  const scale = values.scale === undefined ? 0 : whole('scale', values.scale, members, 10_000_000);
  const passes = values.passes === undefined ? 0 : whole('passes', values.passes, 1, 100);
  if (!/^[a-z0-9][a-z0-9-]*$/.test(values.out)) {
    throw new Error(`--out takes lower-case letters, digits and - only, got "${values.out}"`);
  }
  return {
    help: false,
    quick,
    duration,
    warmup,
    connections,
    scenarios,
    members,
    checkInMembers,
    scale,
    passes,
    out: values.out,
  };
}
