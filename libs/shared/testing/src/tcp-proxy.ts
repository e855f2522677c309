import { connect, createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { testInfra } from './test-run';

/**
 * A TCP proxy in front of a real server (Redis, MySQL, RabbitMQ) that a test can take down, bring
 * back on the same port, or stall (connections accepted, bytes held until resumed), to play an
 * outage or a hanging dependency without touching the server itself.
 */
export class TcpProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private stalled = false;
  private readonly held: Array<() => void> = [];
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async start(): Promise<number> {
    const server = createServer((client) => this.pipe(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (typeof address !== 'object' || address === null) throw new Error('proxy has no port');
    this.port = address.port;
    this.server = server;
    return this.port;
  }

  /** Refuses new connections and cuts the open ones. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  get running(): boolean {
    return this.server !== undefined;
  }

  stall(): void {
    this.stalled = true;
  }

  resume(): void {
    this.stalled = false;
    for (const send of this.held.splice(0)) send();
  }

  private pipe(client: Socket): void {
    const upstream = connect(this.target.port, this.target.host);
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        this.sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    this.forward(client, upstream);
    this.forward(upstream, client);
  }

  private forward(from: Socket, to: Socket): void {
    from.on('data', (chunk: Buffer) => {
      const send = (): void => {
        if (!to.destroyed) to.write(chunk);
      };
      if (this.stalled) this.held.push(send);
      else send();
    });
  }
}

/** A proxy in front of each real dependency, for an app under test to connect through. */
export interface DependencyProxies {
  mysql: TcpProxy;
  redis: TcpProxy;
  rabbitmq: TcpProxy;
  /** Brings every dependency back (resumed, listening again), e.g. before the app shuts down. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startDependencyProxies(): Promise<DependencyProxies> {
  const { mysql, redis, rabbitmq } = testInfra;
  const proxies = {
    mysql: new TcpProxy(mysql),
    redis: new TcpProxy(redis),
    rabbitmq: new TcpProxy(rabbitmq),
  };
  const all = Object.values(proxies);
  await Promise.all(all.map((proxy) => proxy.start()));
  return {
    ...proxies,
    restore: async () => {
      for (const proxy of all) proxy.resume();
      await Promise.all(all.filter((proxy) => !proxy.running).map((proxy) => proxy.start()));
    },
    close: async () => {
      for (const proxy of all) proxy.resume();
      await Promise.all(all.map((proxy) => proxy.stop()));
    },
  };
}
