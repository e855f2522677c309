// npm run k8s:check — renders the kustomize overlays and the Helm chart offline (no cluster) and
// checks them: helm lint --strict, every object against its API schema, references across
// objects, pod security, PromQL of alerts and dashboard, and that each app container gets
// exactly its config class's settings. Prints a table and every problem; exits 1 on any.
import { relative } from 'node:path';
import { repoRoot } from './binaries.mjs';
import { checkSource, knownSeries, problemLines } from './checks.mjs';
import { loadAppConfigs } from './config-coverage.mjs';
import { dashboardProblems } from './promql.mjs';
import { dashboardFile, DASHBOARD_FILE, SOURCES } from './sources.mjs';

const configs = loadAppConfigs();
const rows = [];
const problems = [];
const secrets = [];

for (const source of SOURCES) {
  const result = checkSource(source, configs);
  const lines = problemLines(result);
  const rendered = !result.error;
  rows.push([
    source.name,
    rendered ? String(result.objects) : '-',
    rendered ? String(result.alerts) : '-',
    String(lines.length),
  ]);
  if (lines.length > 0) problems.push(`\n${source.name}:`, ...lines.map((line) => `  ${line}`));
  if (result.externalSecrets.length > 0) {
    secrets.push(`  ${source.name}: ${result.externalSecrets.join(', ')}`);
  }
}

// The dashboard file itself, also when no render includes it.
const dashboardName = relative(repoRoot, DASHBOARD_FILE);
let dashboardLines;
try {
  const dashboard = dashboardFile();
  dashboardLines = dashboard
    ? dashboardProblems(dashboard, { knownSeries: knownSeries() })
    : ['file is missing'];
} catch (error) {
  dashboardLines = [`not JSON: ${error.message}`];
}
rows.push([dashboardName, '-', '-', String(dashboardLines.length)]);
if (dashboardLines.length > 0) {
  problems.push(`\n${dashboardName}:`, ...dashboardLines.map((line) => `  ${line}`));
}

const header = ['source', 'objects', 'alerts', 'problems'];
const widths = header.map((title, column) =>
  Math.max(title.length, ...rows.map((row) => row[column].length)),
);
const format = (row) =>
  row
    .map((cell, column) => cell.padEnd(widths[column]))
    .join('  ')
    .trimEnd();
console.log(format(header));
console.log(widths.map((width) => '-'.repeat(width)).join('  '));
for (const row of rows) console.log(format(row));
if (secrets.length > 0) console.log(`\nSecrets expected to exist already:\n${secrets.join('\n')}`);
if (problems.length > 0) console.log(problems.join('\n'));

process.exitCode = rows.some((row) => row[3] !== '0') ? 1 : 0;
