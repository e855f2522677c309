// What `npm run k8s:check` and the deployment test check: both kustomize overlays and the chart
// with its default values, with everything optional switched on, with production-like values and
// with every escape hatch in use.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from './binaries.mjs';
import { CHART_DIR, renderChart, renderKustomize } from './render.mjs';

const here = join(repoRoot, 'tools/k8s');

/** The Secrets the manifests expect to exist already (names as in the chart's values.yaml). */
export const EXTERNAL_SECRETS = [
  'member-system-mysql',
  'member-system-redis',
  'member-system-rabbitmq',
  'member-system-jwt',
  'member-system-pii',
];

/**
 * The chart's optional objects on: monitoring, and the development Secrets and the Ingress, which
 * no other variation renders (the production values cover autoscaling).
 */
export const EVERYTHING_ON = [
  'metrics.serviceMonitor.enabled=true',
  'metrics.prometheusRule.enabled=true',
  'grafanaDashboard.enabled=true',
  'secrets.create=true',
  'gateway.ingress.enabled=true',
];

export const PROD_VALUES_FILE = join(here, 'fixtures/prod-values.yaml');
export const DASHBOARD_FILE = join(CHART_DIR, 'dashboards/member-system.json');

export function prodValues() {
  return parse(readFileSync(PROD_VALUES_FILE, 'utf8')) ?? {};
}

/** Values using every escape hatch (extraEnv, sidecars, image.digest, ...), global and per app. */
export const HATCH_VALUES_FILE = join(here, 'fixtures/hatch-values.yaml');

export function hatchValues() {
  return parse(readFileSync(HATCH_VALUES_FILE, 'utf8')) ?? {};
}

/** The values blocks of the apps (as in the chart's values.yaml). */
export const APP_KEYS = [
  'gateway',
  'memberService',
  'pointService',
  'benefitService',
  'eventService',
];

/**
 * What a values file adds to the app containers' environment on purpose: the names of its
 * extraEnv and the Secrets/ConfigMaps of its extraEnvFrom (global and per app), which the config
 * coverage check accepts beside the config class's settings.
 */
export function operatorEnvOf(values) {
  const blocks = [values, ...APP_KEYS.map((key) => values[key] ?? {})];
  return {
    names: blocks.flatMap((block) => (block.extraEnv ?? []).map((variable) => variable.name)),
    envFrom: blocks.flatMap((block) =>
      (block.extraEnvFrom ?? []).map((source) => (source.secretRef ?? source.configMapRef).name),
    ),
  };
}

/** Every string in a values tree: Secret names a values file configures count as external. */
function stringsIn(value) {
  if (typeof value === 'string') return [value];
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}

/**
 * The renders. Each: name, render() → objects, and for the chart the values to lint with;
 * `codeDefaults`: its ConfigMaps must hold the code's defaults; `monitoring`: the
 * ServiceMonitors, PrometheusRule and dashboard must be there; `operatorEnv`: the environment its
 * values add to the app containers on purpose (operatorEnvOf).
 */
export const SOURCES = [
  {
    name: 'kustomize dev',
    render: () => renderKustomize('dev'),
    externalSecrets: () => EXTERNAL_SECRETS,
  },
  {
    name: 'kustomize prod',
    render: () => renderKustomize('prod'),
    externalSecrets: () => EXTERNAL_SECRETS,
  },
  {
    name: 'chart defaults',
    chart: { values: () => ({}), setArgs: [] },
    codeDefaults: true,
    externalSecrets: () => EXTERNAL_SECRETS,
  },
  {
    name: 'chart everything on',
    chart: { values: () => ({}), setArgs: EVERYTHING_ON },
    monitoring: true,
    externalSecrets: () => EXTERNAL_SECRETS,
  },
  {
    name: 'chart prod values',
    chart: { values: prodValues, setArgs: [] },
    monitoring: true,
    externalSecrets: () => [...EXTERNAL_SECRETS, ...stringsIn(prodValues())],
  },
  {
    name: 'chart escape hatches',
    chart: { values: hatchValues, setArgs: [] },
    externalSecrets: () => [...EXTERNAL_SECRETS, ...stringsIn(hatchValues())],
    operatorEnv: () => operatorEnvOf(hatchValues()),
  },
].map((source) =>
  source.chart
    ? { ...source, render: () => renderChart(source.chart.values(), source.chart.setArgs) }
    : source,
);

/** The dashboard file as parsed JSON, or undefined while the chart has none. */
export function dashboardFile() {
  return existsSync(DASHBOARD_FILE) ? JSON.parse(readFileSync(DASHBOARD_FILE, 'utf8')) : undefined;
}
