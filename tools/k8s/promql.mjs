// PromQL syntax checks with Prometheus' own grammar (the one its web UI uses), for the alert rules
// of PrometheusRules and the queries of the Grafana dashboard: a broken expression is otherwise
// found only once Prometheus refuses to load the rule group, or a panel stays empty.
import { parser } from '@prometheus-io/lezer-promql';
import { unknownMetrics } from './metrics.mjs';

// Functions whose (first, or for quantile_over_time second) argument is a range vector.
const RANGE_FUNCTIONS = new Set([
  'rate',
  'irate',
  'increase',
  'delta',
  'idelta',
  'deriv',
  'predict_linear',
  'resets',
  'changes',
  'holt_winters',
  'double_exponential_smoothing',
  'avg_over_time',
  'min_over_time',
  'max_over_time',
  'sum_over_time',
  'count_over_time',
  'stddev_over_time',
  'stdvar_over_time',
  'last_over_time',
  'present_over_time',
  'absent_over_time',
  'mad_over_time',
  'quantile_over_time',
]);
const RANGE_EXPRESSIONS = new Set(['MatrixSelector', 'SubqueryExpr']);

/** Where `position` is (line and column, expressions are often multi-line) and what is there. */
function near(expr, position) {
  const before = expr.slice(0, position).split('\n');
  const excerpt = expr.slice(Math.max(0, position - 15), position + 15).replace(/\s+/g, ' ');
  return `at line ${before.length} column ${before.at(-1).length + 1}, near "${excerpt}"`;
}

/** The expression under parentheses, offsets and @ modifiers. */
function unwrap(node) {
  let current = node;
  while (['ParenExpr', 'OffsetExpr', 'StepInvariantExpr'].includes(current?.name)) {
    current = current.firstChild;
  }
  return current;
}

/** The argument expressions of a FunctionCall node (its body's children, commas skipped). */
function argumentsOf(call) {
  const body = call.getChild('FunctionCallBody');
  const args = [];
  for (let child = body?.firstChild; child; child = child.nextSibling) {
    if (!['(', ')', ','].includes(child.name)) args.push(child);
  }
  return args;
}

/**
 * Problems of one PromQL expression: syntax errors with their position, plus range vectors where
 * an instant vector belongs and the other way round (`rate(foo)`, `sum(foo[5m])`), which the
 * grammar accepts and Prometheus refuses.
 */
export function checkPromQL(expr) {
  if (typeof expr !== 'string' || expr.trim() === '') return ['empty expression'];
  const tree = parser.parse(expr);
  const problems = [];
  tree.iterate({
    enter(node) {
      if (node.type.isError) {
        problems.push(`syntax error ${near(expr, node.from)}`);
        return false;
      }
      return undefined;
    },
  });
  if (problems.length > 0) return problems;

  const rangeArguments = new Set();
  tree.iterate({
    enter(ref) {
      if (ref.name !== 'FunctionCall') return;
      const call = ref.node;
      const name = expr.slice(call.firstChild.from, call.firstChild.to);
      if (!RANGE_FUNCTIONS.has(name)) return;
      const args = argumentsOf(call);
      const argument = args[name === 'quantile_over_time' ? 1 : 0];
      const inner = unwrap(argument);
      if (!inner || !RANGE_EXPRESSIONS.has(inner.name)) {
        problems.push(`${name}() needs a range vector such as x[5m], ${near(expr, call.from)}`);
      } else {
        rangeArguments.add(inner.from);
      }
    },
  });
  tree.iterate({
    enter(ref) {
      if (RANGE_EXPRESSIONS.has(ref.name) && !rangeArguments.has(ref.from)) {
        problems.push(
          `a range vector is only allowed as an argument of a range function, ${near(expr, ref.from)}`,
        );
        return false;
      }
      return undefined;
    },
  });
  return problems;
}

// Grafana's built-in interval variables stand for durations; anything else (a label value, a
// job name) becomes a plain identifier, which is valid wherever a variable may stand.
const DURATION_VARIABLES = new Set([
  '__rate_interval',
  '__interval',
  '__range',
  'interval',
  'rate_interval',
  'range',
  'resolution',
]);
const NUMBER_VARIABLES = new Set(['__interval_ms', '__range_s', '__range_ms']);
const GRAFANA_VARIABLE = 'grafana_variable';

/** A Grafana query with its variables ($x, ${x}, ${x:format}, [[x]]) replaced by PromQL. */
export function withoutGrafanaVariables(expr) {
  return expr.replace(
    /\$\{(\w+)(?::[^}]*)?\}|\[\[(\w+)(?::[^\]]*)?\]\]|\$([A-Za-z_]\w*)/g,
    (match, braced, bracketed, bare) => {
      const name = braced ?? bracketed ?? bare;
      if (DURATION_VARIABLES.has(name)) return '5m';
      if (NUMBER_VARIABLES.has(name)) return '300';
      return GRAFANA_VARIABLE;
    },
  );
}

/** The alerting and recording rules of PrometheusRule objects: { where, alert?, expr }. */
export function ruleExpressionsOf(objects) {
  return objects
    .filter((object) => object?.kind === 'PrometheusRule')
    .flatMap((rule) =>
      (rule.spec?.groups ?? []).flatMap((group) =>
        (group.rules ?? []).map((entry, index) => ({
          where: `PrometheusRule/${rule.metadata?.name} group ${group.name} rule ${entry.alert ?? entry.record ?? index}`,
          alert: entry.alert,
          expr: typeof entry.expr === 'string' ? entry.expr : String(entry.expr ?? ''),
        })),
      ),
    );
}

/** Every targets[].expr of a Grafana dashboard, panels in rows included: { where, expr }. */
export function dashboardExpressionsOf(dashboard) {
  const found = [];
  const visit = (panels) => {
    for (const panel of panels ?? []) {
      for (const target of panel.targets ?? []) {
        if (typeof target.expr === 'string' && target.expr.trim() !== '') {
          found.push({
            where: `panel "${panel.title ?? panel.id}" target ${target.refId ?? '?'}`,
            expr: target.expr,
          });
        }
      }
      visit(panel.panels); // collapsed rows hold their panels
    }
  };
  visit(dashboard?.panels);
  visit((dashboard?.rows ?? []).flatMap((row) => row.panels ?? [])); // the old schema
  return found;
}

/** A dashboard's problems: its broken queries, or that it has none (a placeholder file). */
export function dashboardProblems(dashboard, { knownSeries } = {}) {
  if (dashboardExpressionsOf(dashboard).length === 0) return ['no panel has a PromQL query'];
  return promqlProblems({ dashboard, knownSeries });
}

/**
 * Problems of every rule and dashboard expression, each with where it is. With `knownSeries`
 * (metrics.mjs codeSeries), metric names outside it are problems too.
 */
export function promqlProblems({ objects = [], dashboard, knownSeries } = {}) {
  const rules = ruleExpressionsOf(objects).map((rule) => ({ ...rule, text: rule.expr }));
  const panels = dashboard
    ? dashboardExpressionsOf(dashboard).map((query) => ({
        ...query,
        text: withoutGrafanaVariables(query.expr),
      }))
    : [];
  return [...rules, ...panels].flatMap(({ where, text }) => {
    const problems = checkPromQL(text);
    if (problems.length === 0 && knownSeries) {
      for (const name of unknownMetrics(text, knownSeries)) {
        if (name !== GRAFANA_VARIABLE)
          problems.push(`unknown metric "${name}" (no code registers it)`);
      }
    }
    return problems.map((problem) => `${where}: ${problem}`);
  });
}
