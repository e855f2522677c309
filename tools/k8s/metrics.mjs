// The metric names alerts and dashboard queries may use. A misspelt metric is valid PromQL that
// matches no series: the alert never fires and the panel stays empty, so names are checked
// against the metrics the apps' code registers (prom-client constructors in apps/ and libs/).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parser } from '@prometheus-io/lezer-promql';
import { repoRoot } from './binaries.mjs';

const CONSTRUCTOR =
  /new (Counter|Gauge|Histogram|Summary)\s*(?:<[^>]*>)?\(\s*\{\s*name:\s*['"]([a-zA-Z_:][\w:]*)['"]/g;

// Series the apps do not register but every scrape or the cluster's exporters have (a trailing
// underscore: a prefix).
const EXTERNAL = [
  'process_', // prom-client's collectDefaultMetrics (libs/shared/observability)
  'nodejs_', // the same
  'up', // Prometheus, per scrape target
  'scrape_', // the same
  'ALERTS', // Prometheus, firing alerts
  'kube_', // kube-state-metrics
  'container_', // cAdvisor (kubelet)
];

function* sourceFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!['node_modules', 'test', 'dist'].includes(entry.name)) yield* sourceFiles(path);
    } else if (
      entry.name.endsWith('.ts') &&
      !/\.(spec|integration-spec|e2e-spec|d)\.ts$/.test(entry.name)
    ) {
      yield path;
    }
  }
}

/** The series the code produces: a histogram's _bucket, _sum and _count, a summary's too. */
export function codeSeries(root = repoRoot) {
  const series = new Set();
  for (const top of ['apps', 'libs']) {
    for (const file of sourceFiles(join(root, top))) {
      for (const [, type, name] of readFileSync(file, 'utf8').matchAll(CONSTRUCTOR)) {
        if (type === 'Histogram' || type === 'Summary') {
          for (const suffix of ['_sum', '_count']) series.add(name + suffix);
          series.add(type === 'Histogram' ? `${name}_bucket` : name);
        } else {
          series.add(name);
        }
      }
    }
  }
  return series;
}

/** Metric names a PromQL expression selects (foo{…} and {__name__="foo"}); none if unparsable. */
export function metricNamesOf(expr) {
  const names = [];
  parser.parse(expr).iterate({
    enter(ref) {
      if (ref.name !== 'VectorSelector') return;
      const node = ref.node;
      const identifier = node.getChild('Identifier');
      if (identifier) names.push(expr.slice(identifier.from, identifier.to));
      for (const matcher of node.getChild('LabelMatchers')?.getChildren('UnquotedLabelMatcher') ??
        []) {
        const label = matcher.getChild('LabelName');
        const op = matcher.getChild('MatchOp');
        const value = matcher.getChild('StringLiteral');
        if (
          label &&
          value &&
          expr.slice(label.from, label.to) === '__name__' &&
          expr.slice(op.from, op.to) === '='
        ) {
          names.push(expr.slice(value.from + 1, value.to - 1));
        }
      }
    },
  });
  return names;
}

/** Names in `expr` that are neither the code's series nor an external one. */
export function unknownMetrics(expr, knownSeries) {
  return metricNamesOf(expr).filter(
    (name) =>
      !knownSeries.has(name) &&
      !EXTERNAL.some((known) => (known.endsWith('_') ? name.startsWith(known) : name === known)),
  );
}
