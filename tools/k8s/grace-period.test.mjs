// The gateway's terminationGracePeriodSeconds covers its preStop sleep, its longest request (read
// from the code's timeouts and the rendered settings) and the drain, in every render CI checks:
// a rollout or a scale-down never cuts a request short. Offline: helm and kubectl from node_modules.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gatewayShutdownBudget, gatewayTimeouts, preStopSeconds } from './grace-period.mjs';
import { renderChart } from './render.mjs';
import { SOURCES } from './sources.mjs';

describe("the gateway's timeouts in the code", () => {
  it('are all readable, and the service calls that wait longest are known', () => {
    const { timeouts, unreadable } = gatewayTimeouts();
    assert.deepEqual(unreadable, []);
    // earn-batch waits up to 30 s on point-service; nothing waits longer since long admin
    // operations became jobs (distribute-rewards waited 120 s).
    const longest = Math.max(...timeouts.filter((t) => 'value' in t).map((t) => t.value));
    assert.equal(longest, 30_000);
    assert.deepEqual(
      timeouts.filter((t) => 'setting' in t).map((t) => t.setting),
      ['JWT_JWKS_TIMEOUT_MS'],
    );
  });
});

describe("the gateway's termination grace period", () => {
  for (const source of SOURCES) {
    it(`covers preStop, the longest request and the drain: ${source.name}`, () => {
      const budget = gatewayShutdownBudget(source.render());
      assert.ok(budget.preStopSeconds > 0, 'no preStop sleep: endpoints would drop the pod late');
      assert.ok(
        budget.gracePeriodSeconds >= budget.neededSeconds,
        `terminationGracePeriodSeconds ${budget.gracePeriodSeconds} < ${budget.neededSeconds} needed: ${JSON.stringify(budget)}`,
      );
    });
  }

  it('follows a longer RPC_TIMEOUT_MS: too short a grace period for it is caught', () => {
    const budget = gatewayShutdownBudget(
      renderChart({ gateway: { config: { RPC_TIMEOUT_MS: 90_000 } } }),
    );
    assert.equal(budget.longestRequestSeconds, 95); // 5 s key set + 90 s call
    assert.ok(budget.gracePeriodSeconds < budget.neededSeconds);
  });

  it('reads a preStop sleep, and refuses one it cannot time', () => {
    assert.equal(
      preStopSeconds({ lifecycle: { preStop: { exec: { command: ['sleep', '5'] } } } }),
      5,
    );
    assert.equal(preStopSeconds({}), 0);
    assert.throws(() =>
      preStopSeconds({ lifecycle: { preStop: { exec: { command: ['sh', '-c', 'x'] } } } }),
    );
  });
});
