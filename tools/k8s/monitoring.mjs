// The kustomize monitoring component (k8s/components/monitoring) is the chart's ServiceMonitor and
// PrometheusRule rendered with the chart's default values and monitoring switched on, so the alert
// rules have one source: the chart. `node tools/k8s/monitoring.mjs` rewrites the component's
// files; monitoring.test.mjs fails when they differ from the chart.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { stringify } from 'yaml';
import { repoRoot } from './binaries.mjs';
import { renderChart } from './render.mjs';

export const COMPONENT_DIR = join(repoRoot, 'k8s/components/monitoring');
export const MONITORING_SET = [
  'metrics.serviceMonitor.enabled=true',
  'metrics.prometheusRule.enabled=true',
];
// Labels only Helm can honestly set: kustomize neither packages a chart nor manages a release.
export const HELM_ONLY_LABELS = ['helm.sh/chart', 'app.kubernetes.io/managed-by'];
const FILES = { ServiceMonitor: 'servicemonitor.yaml', PrometheusRule: 'prometheusrule.yaml' };

/** The chart's monitoring objects as the component holds them (Helm-only labels dropped). */
export function chartMonitoring() {
  return renderChart({}, MONITORING_SET)
    .filter((object) => object.kind in FILES)
    .map((object) => {
      const labels = { ...object.metadata.labels };
      for (const key of HELM_ONLY_LABELS) delete labels[key];
      return { ...object, metadata: { ...object.metadata, labels } };
    });
}

/** Writes the component's files, formatted as the repository's Prettier settings ask. */
async function write() {
  const header =
    '# Generated from the Helm chart by `node tools/k8s/monitoring.mjs`: edit the chart, not this file.\n';
  for (const object of chartMonitoring()) {
    const file = join(COMPONENT_DIR, FILES[object.kind]);
    const options = { ...(await resolveConfig(file)), filepath: file };
    writeFileSync(file, await format(header + stringify(object, { lineWidth: 0 }), options));
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await write();
