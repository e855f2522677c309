// The deployment manifests as CI checks them (npm run k8s:check prints the same): each kustomize
// overlay and each chart variation renders, passes every check, and gives every app exactly the
// settings its config class reads. Offline: helm and kubectl come from node_modules.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { checkSource, knownSeries, MIN_ALERTS } from './checks.mjs';
import { APPS, loadAppConfigs } from './config-coverage.mjs';
import { dashboardProblems } from './promql.mjs';
import { dashboardFile, SOURCES } from './sources.mjs';

let configs;
/** The config classes' defaults, from one build for the whole file. */
function appConfigs() {
  configs ??= loadAppConfigs();
  return configs;
}

const noProblems = (problems = []) => assert.deepEqual(problems, [], problems.join('\n'));

describe('the config classes', () => {
  it('compile and load with their settings', () => {
    const loaded = appConfigs();
    assert.deepEqual(Object.keys(loaded), Object.keys(APPS));
    assert.equal(loaded.gateway.JWT_ALGORITHM, 'HS256');
    assert.equal(loaded['event-service'].HTTP_PORT, 3004);
    for (const settings of Object.values(loaded)) assert.ok('RABBITMQ_URL' in settings);
  });
});

for (const source of SOURCES) {
  describe(source.name, () => {
    let result;
    before(() => {
      result = checkSource(source, appConfigs());
    });

    it('renders', () => {
      assert.equal(result.error, undefined);
      assert.ok(result.objects > 0, 'no objects rendered');
    });

    if (source.chart) {
      it('passes helm lint --strict', () => noProblems(result.problems.lint));
    }

    it('has valid objects, references and pod security', () => {
      noProblems(result.problems.validation);
    });

    it(`has valid PromQL${source.monitoring ? `, monitoring and ≥ ${MIN_ALERTS} alerts` : ''}`, () => {
      noProblems([...(result.problems.promql ?? []), ...(result.problems.monitoring ?? [])]);
    });

    it("gives each app container exactly its config class's settings", () => {
      noProblems(result.problems.coverage);
    });

    if (source.codeDefaults) {
      it("holds the code's defaults", () => noProblems(result.problems.defaults));
    }
  });
}

describe('the Grafana dashboard file', () => {
  it('is JSON with panels whose PromQL targets are valid and use known metrics', () => {
    const dashboard = dashboardFile();
    assert.ok(dashboard, 'helm/member-system/dashboards/member-system.json is missing');
    noProblems(dashboardProblems(dashboard, { knownSeries: knownSeries() }));
  });
});
