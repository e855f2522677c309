// Command line and the plan it makes: how long each phase lasts and which faults come in which order.

export const KILLABLE = Object.freeze([
  'gateway',
  'member-service',
  'point-service',
  'benefit-service',
  'event-service',
]);

export const USAGE = `usage: npm run chaos -- [--quick] [--cluster] [--kill <app>] [--workers N] [--rate N] [--members N] [--keep] [--build | --no-build]

  --quick        about 90 s of load with shorter faults (the default is about 3.5 min)
  --cluster      a three-node RabbitMQ cluster instead of one node; the apps get all three URLs,
                 and instead of a broker restart one node is stopped and started again, then,
                 once it has rejoined, another one
  --kill <app>   the app to SIGKILL and restart (default point-service)
  --workers N    concurrent HTTP clients (default 6)
  --rate N       order.completed.v1 events a second (default 10)
  --members N    members in the load (default 60)
  --keep         keep the temp dir (logs, datadirs) for a look afterwards
  --build        run node tools/build.mjs first (default: only when dist/ is missing or older
                 than a source file)
  --no-build     use dist/ as it is`;

const PROFILES = {
  full: {
    warmupMs: 20_000,
    gapMs: 35_000,
    down: { rabbitmq: 5000, kill: 5000, mariadb: 8000, redis: 10_000 },
  },
  quick: {
    warmupMs: 8000,
    gapMs: 15_000,
    down: { rabbitmq: 3000, kill: 2000, mariadb: 4000, redis: 5000 },
  },
};

const positive = (flag, value) => {
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0)
    throw new Error(`${flag} needs a positive whole number, got "${value}"`);
  return number;
};

/** Parses argv (without node and script); throws with a message on anything unknown. */
export function parseArgs(argv) {
  const options = {
    quick: false,
    cluster: false,
    kill: 'point-service',
    workers: 6,
    rate: 10,
    members: 60,
    keep: false,
    build: 'auto',
    help: false,
  };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${arg} needs a value`);
      i += 1;
      return argv[i];
    };
    if (arg === '--quick') options.quick = true;
    else if (arg === '--cluster') options.cluster = true;
    else if (arg === '--keep') options.keep = true;
    else if (arg === '--no-build') options.build = 'never';
    else if (arg === '--build') options.build = 'always';
    else if (arg === '--help' || arg === '-h') options.help = true;
    else if (arg === '--kill') {
      options.kill = value();
      if (!KILLABLE.includes(options.kill))
        throw new Error(`--kill: unknown app "${options.kill}"; one of ${KILLABLE.join(', ')}`);
    } else if (arg === '--workers') options.workers = positive(arg, value());
    else if (arg === '--rate') options.rate = positive(arg, value());
    else if (arg === '--members') options.members = positive(arg, value());
    else throw new Error(`unknown argument "${arg}"\n${USAGE}`);
  }
  return options;
}

const singleNodeFaults = (profile) => [
  { kind: 'rabbitmq-restart', label: 'restart RabbitMQ', downMs: profile.down.rabbitmq },
];

/**
 * On a cluster: first the node that holds point-service's event queue (the busiest), then, once it
 * is back in the cluster, another node: the one holding that queue by then if it moved, otherwise
 * the next one. No two nodes are ever down at once, so a quorum queue always has its majority.
 */
const clusterFaults = (profile) => [
  {
    kind: 'rabbitmq-node-restart',
    label: 'stop RabbitMQ node A (point.events) and start it again',
    downMs: profile.down.rabbitmq,
    pick: 'queue-node',
    queue: 'point.events',
  },
  {
    kind: 'rabbitmq-node-restart',
    label: 'stop RabbitMQ node B (another one) and start it again',
    downMs: profile.down.rabbitmq,
    pick: 'another-node',
    queue: 'point.events',
  },
];

/**
 * The faults in order, each `{ kind, label, downMs }`, plus the warmup before the first and the
 * gap of normal load after each fault ends (also the window its recovery is watched in).
 */
export function planOf(options) {
  const profile = options.quick ? PROFILES.quick : PROFILES.full;
  return {
    warmupMs: profile.warmupMs,
    gapMs: profile.gapMs,
    faults: [
      ...(options.cluster ? clusterFaults(profile) : singleNodeFaults(profile)),
      {
        kind: 'kill-service',
        label: `SIGKILL ${options.kill} and restart it`,
        app: options.kill,
        downMs: profile.down.kill,
      },
      { kind: 'mariadb-restart', label: 'restart MariaDB', downMs: profile.down.mariadb },
      { kind: 'redis-stop', label: 'stop Redis (SIGSTOP)', downMs: profile.down.redis },
    ],
  };
}
