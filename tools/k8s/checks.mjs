// Every check of one render, shared by `npm run k8s:check` and the deployment test.
import { configCoverage, defaultsProblems } from './config-coverage.mjs';
import { externalSecretsOf } from './references.mjs';
import { codeSeries } from './metrics.mjs';
import { lintChart } from './render.mjs';
import { dashboardProblems, promqlProblems, ruleExpressionsOf } from './promql.mjs';
import { validateObjects } from './validate.mjs';

let series;
/** The metric series the code registers, read once (metrics.mjs). */
export function knownSeries() {
  series ??= codeSeries();
  return series;
}

/** Alerts the chart's PrometheusRule must have at least, when switched on. */
export const MIN_ALERTS = 14;

/**
 * Dashboards rendered into ConfigMaps (a `*.json` key of a ConfigMap labelled for Grafana's
 * sidecar, or JSON with panels), parsed; bad JSON is a problem.
 */
export function renderedDashboards(objects) {
  const dashboards = [];
  const problems = [];
  for (const configMap of objects.filter((object) => object.kind === 'ConfigMap')) {
    const forGrafana = configMap.metadata?.labels?.grafana_dashboard !== undefined;
    for (const [key, text] of Object.entries(configMap.data ?? {})) {
      if (!key.endsWith('.json') || (!forGrafana && !String(text).includes('"panels"'))) continue;
      try {
        dashboards.push({
          where: `ConfigMap/${configMap.metadata?.name} ${key}`,
          json: JSON.parse(text),
        });
      } catch (error) {
        problems.push(`ConfigMap/${configMap.metadata?.name} ${key}: not JSON: ${error.message}`);
      }
    }
  }
  return { dashboards, problems };
}

/** `helm lint --strict` as problem lines (its [ERROR] and [WARNING] lines, else the output). */
function lintProblems(values, setArgs) {
  try {
    lintChart(values, setArgs);
    return [];
  } catch (error) {
    const lines = error.message.split('\n').filter((line) => /\[(ERROR|WARNING)\]/.test(line));
    return lines.length > 0 ? lines.map((line) => `helm lint: ${line.trim()}`) : [error.message];
  }
}

/**
 * Renders `source` and runs every check. Returns { name, objects (a count), error (a render or a
 * check failed), problems: { lint, validation, promql, monitoring, coverage, defaults }, alerts,
 * externalSecrets }.
 */
export function checkSource(source, configs) {
  const result = { name: source.name, objects: 0, problems: {}, alerts: 0, externalSecrets: [] };
  try {
    runChecks(source, configs, result);
  } catch (error) {
    // A render that fails (helm template, kubectl kustomize, YAML) or a check that cannot run.
    result.error = error.message;
  }
  return result;
}

function runChecks(source, configs, result) {
  const { problems } = result;
  if (source.chart) problems.lint = lintProblems(source.chart.values(), source.chart.setArgs);
  const objects = source.render();
  result.objects = objects.length;
  result.externalSecrets = externalSecretsOf(objects);
  problems.validation = validateObjects(objects, { externalSecrets: source.externalSecrets() });

  const { dashboards, problems: unreadable } = renderedDashboards(objects);
  problems.promql = [
    ...unreadable,
    ...promqlProblems({ objects, knownSeries: knownSeries() }),
    ...dashboards.flatMap(({ where, json }) =>
      dashboardProblems(json, { knownSeries: knownSeries() }).map(
        (problem) => `${where}: ${problem}`,
      ),
    ),
  ];
  result.alerts = ruleExpressionsOf(objects).filter((rule) => rule.alert).length;
  if (source.monitoring) {
    const missing = [];
    if (!objects.some((object) => object.kind === 'ServiceMonitor')) {
      missing.push('no ServiceMonitor');
    }
    if (result.alerts < MIN_ALERTS) {
      missing.push(`${result.alerts} alert rules, expected at least ${MIN_ALERTS}`);
    }
    if (dashboards.length === 0) missing.push('no Grafana dashboard ConfigMap');
    problems.monitoring = missing.map((problem) => `monitoring on: ${problem}`);
  }

  problems.coverage = configCoverage(objects, configs, source.operatorEnv?.()).problems;
  if (source.codeDefaults) problems.defaults = defaultsProblems(objects, configs);
}

/** All problem lines of a result, each prefixed with its check. */
export function problemLines(result) {
  const lines = result.error ? [`failed: ${result.error}`] : [];
  for (const [check, problems] of Object.entries(result.problems)) {
    lines.push(...problems.map((problem) => `${check}: ${problem}`));
  }
  return lines;
}
