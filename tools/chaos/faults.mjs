// The faults. Each resolves with `{ start, end, notes }` in ms since t0: `start` when the fault
// began, `end` when the dependency or app was back (ready again, or Redis thawed).
import { setTimeout as sleep } from 'node:timers/promises';

export async function inject(fault, { deps, fleet, t0 }) {
  const now = () => Date.now() - t0;
  const notes = [];
  let start = now();
  switch (fault.kind) {
    case 'rabbitmq-restart': {
      await deps.rabbitmq.stop();
      notes.push(`stopped after ${((now() - start) / 1000).toFixed(1)} s`);
      await sleep(fault.downMs);
      const restarted = now();
      await deps.rabbitmq.start();
      notes.push(`listening again ${((now() - restarted) / 1000).toFixed(1)} s after start`);
      break;
    }
    case 'rabbitmq-node-restart': {
      const node = await deps.rabbitmq.pick(fault.pick, fault.queue);
      // Finding the node is not part of the fault: it starts when the node is asked to stop.
      const picking = now() - start;
      start = now();
      await deps.rabbitmq.stopNode(node);
      notes.push(
        `${node.name} (found in ${(picking / 1000).toFixed(1)} s) stopped in ${((now() - start) / 1000).toFixed(1)} s`,
      );
      await sleep(fault.downMs);
      const restarted = now();
      await deps.rabbitmq.startNode(node);
      notes.push(`rejoined the cluster ${((now() - restarted) / 1000).toFixed(1)} s after start`);
      break;
    }
    case 'kill-service': {
      fleet.markExpected(fault.app);
      await fleet.kill(fault.app);
      await sleep(fault.downMs);
      const restarted = now();
      await fleet.start(fault.app);
      notes.push(`ready ${((now() - restarted) / 1000).toFixed(1)} s after start`);
      break;
    }
    case 'mariadb-restart': {
      await deps.mariadb.stop();
      notes.push(`shut down in ${((now() - start) / 1000).toFixed(1)} s`);
      await sleep(fault.downMs);
      const restarted = now();
      await deps.mariadb.start();
      notes.push(`accepting queries ${((now() - restarted) / 1000).toFixed(1)} s after start`);
      break;
    }
    case 'redis-stop': {
      deps.redis.pause();
      await sleep(fault.downMs);
      deps.redis.resume();
      break;
    }
    default:
      throw new Error(`unknown fault ${fault.kind}`);
  }
  return { start, end: now(), notes };
}
