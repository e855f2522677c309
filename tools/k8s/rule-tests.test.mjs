// Unit tests of the chart's alert rules with promtool (Prometheus' own rule checker): the
// PrometheusRule rendered with fixtures/alert-values.yaml is written out as a rules file, which
// `promtool check rules` validates and `promtool test rules` runs the cases of rule-tests/*.yaml
// against. Every alert of the chart needs a case where it fires and one where it stays silent.
// promtool is the Debian/Ubuntu package `prometheus` (.ci/run installs only the tool).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse, stringify } from 'yaml';
import { repoRoot } from './binaries.mjs';
import { renderChart } from './render.mjs';

const TESTS_DIR = join(repoRoot, 'tools/k8s/rule-tests');
const RUNBOOK = join(repoRoot, 'docs/operations.md');
const VALUES = join(repoRoot, 'tools/k8s/fixtures/alert-values.yaml');
// The name the test files' rule_files give.
const RULES_FILE = 'member-system-rules.yaml';
const PROMTOOL = process.env.PROMTOOL ?? 'promtool';

function promtool(args, cwd) {
  const run = spawnSync(PROMTOOL, args, { cwd, encoding: 'utf8' });
  if (run.error) {
    throw new Error(
      `promtool could not run (${run.error.message}): install it with ` +
        '`apt-get install --no-install-recommends prometheus` (Debian, Ubuntu; .ci/run takes only ' +
        'the tool from that package) or set PROMTOOL to its path',
    );
  }
  return { ok: run.status === 0, output: `${run.stdout}${run.stderr}` };
}

const testFiles = readdirSync(TESTS_DIR).filter((name) => name.endsWith('.yaml'));

/** Per alert name, whether some case expects it firing and some expects it silent. */
function casesByAlert() {
  const cases = new Map();
  for (const file of testFiles) {
    for (const test of parse(readFileSync(join(TESTS_DIR, file), 'utf8')).tests ?? []) {
      for (const { alertname, exp_alerts: expected } of test.alert_rule_test ?? []) {
        const seen = cases.get(alertname) ?? { fires: false, silent: false };
        if ((expected ?? []).length > 0) seen.fires = true;
        else seen.silent = true;
        cases.set(alertname, seen);
      }
    }
  }
  return cases;
}

describe('the chart’s alert rules under promtool', () => {
  let dir;
  let groups;

  before(() => {
    const rule = renderChart(parse(readFileSync(VALUES, 'utf8'))).find(
      (object) => object.kind === 'PrometheusRule',
    );
    assert.ok(rule, 'the chart rendered no PrometheusRule with fixtures/alert-values.yaml');
    groups = rule.spec.groups;
    dir = mkdtempSync(join(tmpdir(), 'member-system-rules-'));
    writeFileSync(join(dir, 'complete-rules.yaml'), stringify({ groups }));
    // promtool compares annotations too when a case lists an alert: the cases state labels only,
    // so the tested copy goes without (`check rules` validates the annotations' templates).
    const withoutAnnotations = groups.map((group) => ({
      ...group,
      rules: group.rules.map(({ annotations: _annotations, ...rest }) => rest),
    }));
    writeFileSync(join(dir, RULES_FILE), stringify({ groups: withoutAnnotations }));
    for (const file of testFiles) copyFileSync(join(TESTS_DIR, file), join(dir, file));
  });

  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('pass `promtool check rules`: expressions, durations and annotation templates', () => {
    const { ok, output } = promtool(['check', 'rules', 'complete-rules.yaml'], dir);
    assert.ok(ok, output);
  });

  it('pass their unit tests (`promtool test rules tools/k8s/rule-tests/*.yaml`)', () => {
    assert.ok(testFiles.length > 0, 'no test files in tools/k8s/rule-tests');
    const { ok, output } = promtool(['test', 'rules', ...testFiles], dir);
    assert.ok(ok, output);
  });

  it('have, each, a case where the alert fires and one where it stays silent', () => {
    const alerts = groups.flatMap((group) => group.rules.map((rule) => rule.alert)).sort();
    const cases = casesByAlert();
    const missing = alerts.flatMap((alert) => {
      const seen = cases.get(alert) ?? { fires: false, silent: false };
      return [
        ...(seen.fires ? [] : [`${alert}: no case where it fires`]),
        ...(seen.silent ? [] : [`${alert}: no case where it stays silent`]),
      ];
    });
    assert.deepEqual(missing, []);
    const unknown = [...cases.keys()].filter((alert) => !alerts.includes(alert));
    assert.deepEqual(unknown, [], 'cases of alerts the chart does not have');
  });

  it('link each to its own section of docs/operations.md', () => {
    const headings = new Set(
      [...readFileSync(RUNBOOK, 'utf8').matchAll(/^### (\w+)$/gm)].map(([, name]) => name),
    );
    for (const rule of groups.flatMap((group) => group.rules)) {
      assert.equal(
        rule.annotations.runbook_url,
        `docs/operations.md#${rule.alert.toLowerCase()}`,
        rule.alert,
      );
      assert.ok(headings.has(rule.alert), `docs/operations.md has no "### ${rule.alert}"`);
    }
  });
});
