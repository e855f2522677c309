import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseArgs, planOf } from './options.mjs';

describe('parseArgs', () => {
  it('has defaults', () => {
    const options = parseArgs([]);
    assert.equal(options.quick, false);
    assert.equal(options.cluster, false);
    assert.equal(options.kill, 'point-service');
    assert.equal(options.build, 'auto');
  });

  it('reads every flag', () => {
    const options = parseArgs([
      '--quick',
      '--kill',
      'member-service',
      '--workers',
      '3',
      '--rate',
      '20',
      '--members',
      '10',
      '--keep',
      '--no-build',
      '--cluster',
    ]);
    assert.deepEqual(
      [options.quick, options.kill, options.workers, options.rate, options.members],
      [true, 'member-service', 3, 20, 10],
    );
    assert.equal(options.cluster, true);
    assert.equal(options.keep, true);
    assert.equal(options.build, 'never');
    assert.equal(parseArgs(['--build']).build, 'always');
  });

  it('refuses unknown flags, apps and bad numbers', () => {
    assert.throws(() => parseArgs(['--fast']), /unknown argument "--fast"/);
    assert.throws(() => parseArgs(['--kill', 'mysql']), /unknown app "mysql"/);
    assert.throws(() => parseArgs(['--rate', '0']), /positive whole number/);
    assert.throws(() => parseArgs(['--workers']), /needs a value/);
  });
});

describe('planOf', () => {
  const budget = (plan) =>
    plan.warmupMs + plan.faults.reduce((sum, fault) => sum + fault.downMs + plan.gapMs, 0);

  it('injects the four faults in order, the killed app as asked', () => {
    const plan = planOf(parseArgs(['--kill', 'gateway']));
    assert.deepEqual(
      plan.faults.map((fault) => fault.kind),
      ['rabbitmq-restart', 'kill-service', 'mariadb-restart', 'redis-stop'],
    );
    assert.equal(plan.faults[1].app, 'gateway');
  });

  it('on a cluster stops the node holding point.events, then another node, instead of restarting RabbitMQ', () => {
    const plan = planOf(parseArgs(['--cluster']));
    assert.deepEqual(
      plan.faults.map((fault) => [fault.kind, fault.pick]),
      [
        ['rabbitmq-node-restart', 'queue-node'],
        ['rabbitmq-node-restart', 'another-node'],
        ['kill-service', undefined],
        ['mariadb-restart', undefined],
        ['redis-stop', undefined],
      ],
    );
    assert.ok(plan.faults.slice(0, 2).every((fault) => fault.queue === 'point.events'));
  });

  it('watches at least 30 s after each fault in a full run and stays bounded', () => {
    const full = planOf(parseArgs([]));
    assert.ok(full.gapMs >= 30_000);
    assert.ok(budget(full) <= 4 * 60_000);
    assert.ok(budget(planOf(parseArgs(['--quick']))) <= 100_000);
    // One more fault on a cluster: about 40 s more in a full run, 18 s in a quick one.
    assert.ok(budget(planOf(parseArgs(['--cluster']))) <= 5 * 60_000);
    assert.ok(budget(planOf(parseArgs(['--cluster', '--quick']))) <= 120_000);
  });
});
