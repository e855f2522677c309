// The bench's own fleet (gateway, member-service, point-service: tools/bench/environment.mjs), with
// vhosts made by rabbitmqctl too when the broker has no management plugin.
import { BenchEnvironment } from '../environment.mjs';
import { createVhost, deleteVhost } from '../rabbit-vhost.mjs';

export class EventsEnvironment extends BenchEnvironment {
  async createVhost() {
    await createVhost(this.vhost, this.env);
  }

  async tearDown() {
    this.eventsTornDown ??= (async () => {
      const problems = await super.tearDown();
      const others = problems.filter((problem) => !problem.startsWith('delete vhost'));
      if (others.length === problems.length) return problems;
      try {
        await deleteVhost(this.vhost, this.env);
        return others;
      } catch (error) {
        return [...others, `delete vhost: ${error.message}`];
      }
    })();
    return this.eventsTornDown;
  }
}
