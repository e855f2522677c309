// A RabbitMQ cluster of this machine's own: three (or `size`) private nodes with their own names,
// AMQP and distribution ports, data, logs and config under one temp dir, joined into one cluster.
// The Jest cluster spec uses it from source, `npm run chaos -- --cluster` from dist/.
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, rmSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './app-process';
import { waitFor } from './wait-for';

const run = promisify(execFile);

// The scripts in /usr/lib: the Debian wrappers in /usr/sbin switch to the rabbitmq user and its
// settings, which would give every node the machine's cookie and data directory.
const RABBITMQ_BIN = '/usr/lib/rabbitmq/bin';

export interface RabbitmqClusterNode {
  /** 1-based, as in the node name. */
  index: number;
  /** Erlang node name, `<prefix>-<index>@localhost`. */
  name: string;
  port: number;
  distPort: number;
  /** amqp://guest:guest@127.0.0.1:<port> (the default vhost). */
  url: string;
}

export interface RabbitmqQueue {
  name: string;
  type: string;
  messages: number;
  unacked: number;
  /** The node holding the queue: a quorum queue's leader, a classic queue's home node. */
  node: string;
}

export interface RabbitmqCluster {
  dir: string;
  /** Boots every node and joins them into one cluster (see startRabbitmqCluster). */
  start(): Promise<void>;
  nodes: readonly RabbitmqClusterNode[];
  /** Every node's URL, comma-separated (what RABBITMQ_URL takes for a cluster). */
  url: string;
  /** `rabbitmqctl <args>` against `node` (default: the first node that is running). */
  ctl(args: readonly string[], node?: RabbitmqClusterNode): Promise<string>;
  /** Whether the node's process is running (it was started and not stopped since). */
  isRunning(node: RabbitmqClusterNode): boolean;
  /** The nodes a running node counts as running members of the cluster. */
  runningMembers(): Promise<string[]>;
  /** Stops a node (`rabbitmqctl stop`, SIGKILL to its process group when that does not work). */
  stopNode(node: RabbitmqClusterNode): Promise<void>;
  /** Starts a stopped node on its data again and waits until it has rejoined the cluster. */
  startNode(node: RabbitmqClusterNode): Promise<void>;
  /** The queues of the default vhost, asked of a running node. */
  queues(): Promise<RabbitmqQueue[]>;
  /** The node holding `queue`, or undefined when no running node knows it. */
  nodeOfQueue(queue: string): Promise<RabbitmqClusterNode | undefined>;
  /** Stops every node and removes the temp dir (unless `keep`). Safe to call twice. */
  stop(): Promise<void>;
}

export interface RabbitmqClusterOptions {
  size?: number;
  /** Node names are `<prefix>-<index>@localhost`; unique per process by default. */
  prefix?: string;
  /** Where the temp dir is made (default the OS temp dir). */
  parentDir?: string;
  /** Leave the temp dir (logs and data) in place on stop, also when the process exits. */
  keep?: boolean;
  /** Boot and join progress, for a run's log. */
  log?: (message: string) => void;
}

interface NodeProcess {
  child: ChildProcess;
  exited: Promise<void>;
}

/** Everything still running, killed synchronously when the process exits without a stop(). */
const liveGroups = new Set<ChildProcess>();
const liveDirs = new Set<string>();
let exitHookInstalled = false;

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of liveGroups) killGroup(child, 'SIGKILL');
    for (const dir of liveDirs) rmSync(dir, { recursive: true, force: true });
  });
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const finish = (open: boolean): void => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(1000, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

/** A quorum queue's leader; a classic queue has none, and its process id names its node. */
function nodeOf(pid: string, leader: string): string {
  return leader || (/^<(.+@[^.]+)\./.exec(pid)?.[1] ?? '');
}

/** `name type messages unacked pid leader` lines of `list_queues`, tab-separated. */
export function parseQueueLines(stdout: string): RabbitmqQueue[] {
  return stdout
    .split('\n')
    .map((line) => line.split('\t').map((part) => part.trim()))
    .filter((parts) => parts.length >= 6 && /^\d+$/.test(parts[2] ?? ''))
    .map(([name = '', type = '', messages = '0', unacked = '0', pid = '', leader = '']) => ({
      name,
      type,
      messages: Number(messages),
      unacked: Number(unacked),
      node: nodeOf(pid, leader),
    }));
}

/**
 * Boots a cluster and resolves once every node counts all of them as running. Whatever fails on
 * the way, nothing is left behind.
 */
export async function startRabbitmqCluster(
  options: RabbitmqClusterOptions = {},
): Promise<RabbitmqCluster> {
  const cluster = await createRabbitmqCluster(options);
  try {
    await cluster.start();
  } catch (error) {
    await cluster.stop().catch(() => undefined);
    throw error;
  }
  return cluster;
}

/**
 * Picks the nodes' ports and writes their settings, so their URLs are known before `start()`,
 * which boots all nodes at once and then joins the others to the first (`stop_app`,
 * `join_cluster`, `start_app`, one after the other).
 */
export async function createRabbitmqCluster(
  options: RabbitmqClusterOptions = {},
): Promise<RabbitmqCluster> {
  const size = options.size ?? 3;
  const prefix = options.prefix ?? `ms-c${process.pid}-${randomBytes(2).toString('hex')}`;
  const log = options.log ?? (() => undefined);
  installExitHook();
  const dir = await mkdtemp(join(options.parentDir ?? tmpdir(), 'rabbitmq-cluster-'));
  if (!options.keep) liveDirs.add(dir);
  // One HOME, so one Erlang cookie for the nodes and the CLI: joining needs the same cookie.
  const home = join(dir, 'home');
  await mkdir(home, { recursive: true });
  const cookiePath = join(home, '.erlang.cookie');
  await writeFile(cookiePath, randomBytes(16).toString('hex').toUpperCase());
  await chmod(cookiePath, 0o400);

  const nodes: RabbitmqClusterNode[] = [];
  for (let index = 1; index <= size; index += 1) {
    const port = await freePort();
    nodes.push({
      index,
      name: `${prefix}-${index}@localhost`,
      port,
      distPort: await freePort(),
      url: `amqp://guest:guest@127.0.0.1:${port}`,
    });
  }

  const envs = new Map<RabbitmqClusterNode, NodeJS.ProcessEnv>();
  for (const node of nodes) {
    const base = join(dir, `node-${node.index}`);
    await mkdir(join(base, 'mnesia'), { recursive: true });
    await mkdir(join(base, 'log'), { recursive: true });
    await writeFile(join(base, 'enabled_plugins'), '[].\n');
    await writeFile(join(base, 'rabbitmq-env.conf'), '');
    await writeFile(
      join(base, 'rabbitmq.conf'),
      [
        `listeners.tcp.default = 127.0.0.1:${node.port}`,
        'vm_memory_high_watermark.relative = 0.4',
        'disk_free_limit.absolute = 50MB',
        '',
      ].join('\n'),
    );
    envs.set(node, {
      ...process.env,
      HOME: home,
      // Otherwise /etc/rabbitmq/rabbitmq-env.conf could rename the node or move its data.
      RABBITMQ_CONF_ENV_FILE: join(base, 'rabbitmq-env.conf'),
      RABBITMQ_NODENAME: node.name,
      RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
      RABBITMQ_NODE_PORT: String(node.port),
      RABBITMQ_DIST_PORT: String(node.distPort),
      RABBITMQ_MNESIA_BASE: join(base, 'mnesia'),
      RABBITMQ_LOG_BASE: join(base, 'log'),
      RABBITMQ_CONFIG_FILE: join(base, 'rabbitmq.conf'),
      RABBITMQ_ENABLED_PLUGINS_FILE: join(base, 'enabled_plugins'),
      RABBITMQ_ENABLED_PLUGINS: '',
      RABBITMQ_PID_FILE: join(base, 'rabbitmq.pid'),
      RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: '-kernel inet_dist_use_interface {127,0,0,1}',
      ERL_EPMD_ADDRESS: '127.0.0.1',
    });
  }
  const envOf = (node: RabbitmqClusterNode): NodeJS.ProcessEnv => envs.get(node) ?? {};
  const processes = new Map<RabbitmqClusterNode, NodeProcess>();
  const isRunning = (node: RabbitmqClusterNode): boolean => processes.has(node);

  const ctlOn = async (
    node: RabbitmqClusterNode,
    args: readonly string[],
    timeoutMs = 60_000,
  ): Promise<string> => {
    const { stdout } = await run(`${RABBITMQ_BIN}/rabbitmqctl`, ['-n', node.name, ...args], {
      env: envOf(node),
      timeout: timeoutMs,
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout;
  };
  const ctl = (args: readonly string[], node?: RabbitmqClusterNode): Promise<string> => {
    const target = node ?? nodes.find(isRunning);
    if (!target) return Promise.reject(new Error('no node of the cluster is running'));
    return ctlOn(target, args);
  };

  const runningMembers = async (): Promise<string[]> => {
    const status = JSON.parse(await ctl(['cluster_status', '--formatter', 'json'])) as {
      running_nodes?: string[];
    };
    return status.running_nodes ?? [];
  };

  const boot = async (node: RabbitmqClusterNode): Promise<void> => {
    const logFile = openSync(join(dir, `node-${node.index}.log`), 'a');
    // Its own process group, so a stop that the CLI cannot do reaches beam and its helpers.
    const child = spawn(`${RABBITMQ_BIN}/rabbitmq-server`, [], {
      env: envOf(node),
      cwd: join(dir, `node-${node.index}`),
      detached: true,
      stdio: ['ignore', logFile, logFile],
    });
    closeSync(logFile);
    liveGroups.add(child);
    const exited = new Promise<void>((resolve) => {
      child.once('exit', () => {
        liveGroups.delete(child);
        processes.delete(node);
        resolve();
      });
    });
    processes.set(node, { child, exited });
    await waitFor(
      async () => {
        if (!processes.has(node)) throw new Error(`${node.name} exited while booting`);
        // The listener opens late in the boot (after the node rejoined its cluster, if any).
        if (!(await portOpen(node.port))) return false;
        await ctlOn(node, ['await_startup'], 30_000);
        return true;
      },
      { timeoutMs: 120_000, intervalMs: 250, what: `RabbitMQ node ${node.name} to boot` },
    );
  };

  const stopNode = async (node: RabbitmqClusterNode): Promise<void> => {
    const running = processes.get(node);
    if (!running) return;
    await ctlOn(node, ['stop'], 30_000).catch(() => undefined);
    const timer = setTimeout(() => killGroup(running.child, 'SIGKILL'), 20_000);
    await running.exited;
    clearTimeout(timer);
  };

  const allRunning = async (): Promise<boolean> => {
    const members = await runningMembers();
    return nodes.filter(isRunning).every((node) => members.includes(node.name));
  };

  const stop = async (): Promise<void> => {
    await Promise.all(nodes.map(stopNode));
    if (options.keep) return;
    liveDirs.delete(dir);
    await rm(dir, { recursive: true, force: true });
  };

  const queues = async (): Promise<RabbitmqQueue[]> =>
    parseQueueLines(
      await ctl([
        'list_queues',
        '-q',
        '--no-table-headers',
        'name',
        'type',
        'messages',
        'messages_unacknowledged',
        'pid',
        'leader',
      ]),
    );

  return {
    dir,
    async start() {
      log(`starting ${size} RabbitMQ nodes: ${nodes.map((node) => node.name).join(', ')}`);
      await Promise.all(nodes.map(boot));
      const [first, ...others] = nodes as [RabbitmqClusterNode, ...RabbitmqClusterNode[]];
      for (const node of others) {
        await ctlOn(node, ['stop_app']);
        await ctlOn(node, ['join_cluster', first.name]);
        await ctlOn(node, ['start_app']);
        log(`${node.name} joined ${first.name}`);
      }
      await waitFor(allRunning, {
        timeoutMs: 60_000,
        intervalMs: 250,
        what: 'the cluster to form',
      });
    },
    nodes,
    url: nodes.map((node) => node.url).join(','),
    ctl,
    isRunning,
    runningMembers,
    stopNode,
    async startNode(node) {
      if (isRunning(node)) return;
      await boot(node);
      await waitFor(allRunning, {
        timeoutMs: 60_000,
        intervalMs: 250,
        what: `${node.name} to rejoin the cluster`,
      });
    },
    queues,
    async nodeOfQueue(queue) {
      // Only what the queue's record holds: counting messages asks every queue's process.
      const stdout = await ctl([
        'list_queues',
        '-q',
        '--no-table-headers',
        'name',
        'pid',
        'leader',
      ]);
      for (const line of stdout.split('\n')) {
        const [name, pid = '', leader = ''] = line.split('\t').map((part) => part.trim());
        if (name === queue) return nodes.find((node) => node.name === nodeOf(pid, leader));
      }
      return undefined;
    },
    stop,
  };
}
