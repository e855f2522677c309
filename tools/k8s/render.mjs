// Renders the kustomize overlays and the Helm chart offline and parses the output into objects.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { helm, kubectl, repoRoot } from './binaries.mjs';

export const CHART_DIR = join(repoRoot, 'helm/member-system');
export const OVERLAYS_DIR = join(repoRoot, 'k8s/overlays');
export const RELEASE = 'member-system';
export const NAMESPACE = 'member-system';

/** Parsed YAML documents, empty ones dropped; a syntax error or a duplicate key throws. */
export function parseManifests(text, origin = 'manifest') {
  const objects = [];
  for (const document of parseAllDocuments(text)) {
    const [error] = document.errors;
    if (error) throw new Error(`${origin}: ${error.message}`);
    const object = document.toJS();
    if (object === null || object === undefined) continue;
    // A `kind: List` (kubectl's wrapper) holds the objects in items.
    if (object.kind === 'List' && Array.isArray(object.items)) objects.push(...object.items);
    else objects.push(object);
  }
  return objects;
}

/** The tool's own message (stderr) rather than Node's "Command failed: <argv>". */
function run(tool, args, what) {
  try {
    return tool(args, { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const output = [error.stderr, error.stdout].filter(Boolean).join('\n').trim();
    throw new Error(`${what} failed:\n${output || error.message}`);
  }
}

/** `kubectl kustomize k8s/overlays/<overlay>`, parsed. */
export function renderKustomize(overlay) {
  const text = run(
    kubectl,
    ['kustomize', join(OVERLAYS_DIR, overlay)],
    `kubectl kustomize k8s/overlays/${overlay}`,
  );
  return parseManifests(text, `k8s/overlays/${overlay}`);
}

/** Runs `fn(valuesArgs)` with `values` written to a temporary values file (none when empty). */
function withValuesFile(values, fn) {
  if (!values || Object.keys(values).length === 0) return fn([]);
  const dir = mkdtempSync(join(tmpdir(), 'member-system-values-'));
  try {
    const file = join(dir, 'values.json'); // JSON is YAML: no serialiser needed
    writeFileSync(file, JSON.stringify(values));
    return fn(['--values', file]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const setFlags = (setArgs) => setArgs.flatMap((assignment) => ['--set', assignment]);

/**
 * `helm template member-system helm/member-system --namespace member-system`, parsed. `values` is
 * an extra values object (over the chart's values.yaml), `setArgs` are `key=value` for --set.
 */
export function renderChart(values = {}, setArgs = []) {
  return withValuesFile(values, (valuesArgs) => {
    const text = run(
      helm,
      [
        'template',
        RELEASE,
        CHART_DIR,
        '--namespace',
        NAMESPACE,
        ...valuesArgs,
        ...setFlags(setArgs),
      ],
      'helm template',
    );
    return parseManifests(text, 'helm template');
  });
}

/** `helm lint --strict` (with the same extra values as renderChart); throws with its output. */
export function lintChart(values = {}, setArgs = []) {
  return withValuesFile(values, (valuesArgs) =>
    run(
      helm,
      [
        'lint',
        CHART_DIR,
        '--strict',
        '--namespace',
        NAMESPACE,
        ...valuesArgs,
        ...setFlags(setArgs),
      ],
      'helm lint --strict',
    ),
  );
}
