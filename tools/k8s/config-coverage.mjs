// The rule for every manifest: each app container (Deployment and migration Job alike) gets
// exactly the settings of the app's config class as environment variables, no more, no less. A
// missing one silently runs on the code's default (127.0.0.1 for MySQL, a dev JWT secret); an
// extra one is a typo or a setting the code no longer reads. The names come from the compiled
// config classes, so adding a setting to the code fails this check until the manifests carry it.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDist } from '../api-client/openapi-document.mjs';
import { repoRoot } from './binaries.mjs';
import { containersOf, list, podTemplateOf, refOf } from './objects.mjs';

/** Each app and its config class (apps/<app>/src/config/<app>.config.ts). */
export const APPS = {
  gateway: 'GatewayConfig',
  'member-service': 'MemberServiceConfig',
  'point-service': 'PointServiceConfig',
  'benefit-service': 'BenefitServiceConfig',
  'event-service': 'EventServiceConfig',
};

const NAME_LABEL = 'app.kubernetes.io/name';
const COMPONENT_LABEL = 'app.kubernetes.io/component';

/**
 * Compiles apps and libs with tools/build.mjs (buildDist) into a private mirror of the repository
 * (its sources symlinked) rather than into the shared dist/: test files run in parallel, and the
 * api-client test, a running dev fleet or another check read dist/ while a build empties it.
 */
function buildPrivateDist() {
  const mirror = mkdtempSync(join(tmpdir(), 'member-system-config-'));
  for (const entry of ['apps', 'libs', 'node_modules', 'tsconfig.base.json']) {
    symlinkSync(join(repoRoot, entry), join(mirror, entry));
  }
  mkdirSync(join(mirror, 'tools'));
  copyFileSync(join(repoRoot, 'tools/build.mjs'), join(mirror, 'tools/build.mjs'));
  buildDist(mirror);
  return mirror;
}

/** Each app's config defaults, { app: { SETTING: default } }, from a fresh build of the code. */
export function loadAppConfigs() {
  const mirror = buildPrivateDist();
  try {
    const require = createRequire(join(repoRoot, 'package.json'));
    require('reflect-metadata');
    return Object.fromEntries(
      Object.entries(APPS).map(([app, className]) => {
        const file = `dist/apps/${app}/src/config/${app}.config.js`;
        const ConfigClass = require(join(mirror, file))[className];
        if (typeof ConfigClass !== 'function') throw new Error(`${file} exports no ${className}`);
        return [app, { ...new ConfigClass() }];
      }),
    );
  } finally {
    rmSync(mirror, { recursive: true, force: true }); // the classes are loaded by now
  }
}

/** The app a migration container runs: its migrate.js path, else its image, else `fallback`. */
function migratedApp(container, fallback) {
  const command = [...list(container.command), ...list(container.args)].join(' ');
  const byCommand = /dist\/apps\/([\w-]+)\/src\/migrate\.js/.exec(command)?.[1];
  if (byCommand && byCommand in APPS) return byCommand;
  const byImage = /(?:^|\/)([\w-]+)(?::[^/]*)?(?:@.*)?$/.exec(container.image ?? '')?.[1];
  if (byImage && byImage in APPS) return byImage;
  return fallback;
}

/**
 * The app and role labels say. The chart and the kustomize base name the release
 * (app.kubernetes.io/name: member-system) and make the app (`gateway`) or its migration
 * (`gateway-migration`) the component; manifests that name the app (app.kubernetes.io/name:
 * gateway) and mark migrations by component `migration` are read too.
 */
function labelledApp(labels) {
  const name = labels[NAME_LABEL];
  const component = labels[COMPONENT_LABEL] ?? '';
  const componentApp = component.replace(/-?migration$/, '');
  const app = [name, componentApp].find((candidate) => candidate in APPS);
  return { app, migration: /(^|-)migration$/.test(component) };
}

const runsMigration = (container) =>
  /\bmigrate\.js\b/.test([...list(container.command), ...list(container.args)].join(' '));

/**
 * The app containers of a render: { app, role ('Deployment' | 'migration'), where, container,
 * object }. A Deployment's app comes from its labels; a migration Job (labelled as one, or
 * running migrate.js) may run one app or several, one per container or init container.
 */
export function appContainersOf(objects) {
  const found = [];
  for (const object of objects) {
    const template = podTemplateOf(object);
    if (!template) continue;
    const labels = { ...object.metadata?.labels, ...template.metadata?.labels };
    const { app: labelApp, migration } = labelledApp(labels);
    const containers = containersOf(template.spec);
    if (object.kind === 'Deployment' && labelApp) {
      const main = containers.filter(({ path }) => path.startsWith('containers'));
      // The app's own container; a sidecar, if one is ever added, keeps its own settings.
      const app =
        main.find(({ container }) => [labelApp, 'app'].includes(container.name)) ?? main[0];
      if (app) {
        found.push({
          app: labelApp,
          role: 'Deployment',
          where: `${refOf(object)} ${app.path} (${app.container.name})`,
          container: app.container,
          object,
        });
      }
    } else if (
      object.kind === 'Job' &&
      (migration || containers.some(({ container }) => runsMigration(container)))
    ) {
      for (const { container, path } of containers) {
        found.push({
          app: migratedApp(container, labelApp),
          role: 'migration',
          where: `${refOf(object)} ${path} (${container.name})`,
          container,
          object,
        });
      }
    }
  }
  return found;
}

/**
 * The environment a container gets: { NAME: { value?, from } }. ConfigMaps come from the same
 * render; a value from a Secret is known by name only. `operatorEnvFrom`: names of Secrets and
 * ConfigMaps an operator adds with extraEnvFrom, whose names are not the chart's to check.
 */
export function containerEnvironment(container, objects, operatorEnvFrom = []) {
  const byName = (kind, name) =>
    objects.find((object) => object.kind === kind && object.metadata?.name === name);
  const env = new Map();
  const problems = [];
  for (const source of list(container.envFrom)) {
    const prefix = source.prefix ?? '';
    const ref = source.configMapRef ?? source.secretRef;
    const kind = source.configMapRef ? 'ConfigMap' : 'Secret';
    if (operatorEnvFrom.includes(ref?.name)) continue;
    const target = byName(kind, ref?.name);
    if (!target) {
      // Names from an unrendered Secret are unknowable, so envFrom must not use one.
      problems.push(`envFrom ${kind} "${ref?.name}" is not rendered: its names cannot be checked`);
      continue;
    }
    for (const [key, value] of Object.entries({ ...target.data, ...target.stringData })) {
      env.set(
        prefix + key,
        kind === 'ConfigMap'
          ? { value, from: `ConfigMap ${ref.name}` }
          : { from: `Secret ${ref.name}` },
      );
    }
  }
  for (const variable of list(container.env)) {
    const from = variable.valueFrom;
    if (from === undefined) env.set(variable.name, { value: variable.value ?? '', from: 'env' });
    else if (from.configMapKeyRef) {
      const configMap = byName('ConfigMap', from.configMapKeyRef.name);
      env.set(variable.name, {
        value: configMap?.data?.[from.configMapKeyRef.key],
        from: `ConfigMap ${from.configMapKeyRef.name}`,
      });
    } else {
      env.set(variable.name, {
        from: from.secretKeyRef ? `Secret ${from.secretKeyRef.name}` : 'valueFrom',
      });
    }
  }
  return { env, problems };
}

/**
 * Per app container: the config settings it does not get (missing) and the names it gets that
 * are no setting (extra). Also every app must have a Deployment and a migration container.
 * `operatorEnv` ({ names, envFrom }): what the values add on purpose with extraEnv and
 * extraEnvFrom, not counted as extra. Returns { rows, problems }: rows for a report, problems as
 * lines.
 */
export function configCoverage(objects, configs, operatorEnv = { names: [], envFrom: [] }) {
  const rows = [];
  const problems = [];
  const containers = appContainersOf(objects);
  for (const entry of containers) {
    if (!entry.app) {
      problems.push(`${entry.where}: cannot tell which app this migration container runs`);
      continue;
    }
    const expected = Object.keys(configs[entry.app]);
    const { env, problems: envProblems } = containerEnvironment(
      entry.container,
      objects,
      operatorEnv.envFrom,
    );
    const missing = expected.filter((name) => !env.has(name));
    const extra = [...env.keys()].filter(
      (name) => !expected.includes(name) && !operatorEnv.names.includes(name),
    );
    rows.push({ app: entry.app, role: entry.role, where: entry.where, missing, extra });
    for (const problem of envProblems) problems.push(`${entry.where}: ${problem}`);
    if (missing.length > 0) problems.push(`${entry.where}: missing ${missing.join(', ')}`);
    if (extra.length > 0)
      problems.push(`${entry.where}: extra ${extra.join(', ')} (no ${entry.app} setting)`);
  }
  for (const app of Object.keys(APPS)) {
    for (const role of ['Deployment', 'migration']) {
      if (!containers.some((entry) => entry.app === app && entry.role === role)) {
        problems.push(
          `${app}: no ${role === 'Deployment' ? 'Deployment' : 'migration Job container'} found`,
        );
      }
    }
  }
  return { rows, problems };
}

/**
 * Settings whose deployed value rightly differs from the code's default. Values from Secrets
 * (passwords, JWT and PII keys) are not compared either: the render does not know them.
 */
export const DEFAULTS_NOT_COMPARED = {
  NODE_ENV: 'the code defaults to development; deployments run production',
  MYSQL_HOST: 'where MySQL runs in the cluster',
  MYSQL_PORT: "the cluster's MySQL port",
  REDIS_HOST: 'where Redis runs in the cluster',
  REDIS_PORT: "the cluster's Redis port",
  RABBITMQ_URL: "the cluster's RabbitMQ (a Secret: it holds the credentials)",
  MYSQL_DATABASE: 'per app and per installation (one schema per app)',
  REDIS_PREFIX: 'per app and per installation (keys of several releases may share a Redis)',
  HTTP_PORT: 'per app; the chart may give every app the same container port',
};

/**
 * Deployed values that differ from the code's defaults, for every Deployment's app container
 * (the chart's default values are meant to be the code's defaults; see DEFAULTS_NOT_COMPARED).
 */
export function defaultsProblems(objects, configs) {
  const problems = [];
  for (const entry of appContainersOf(objects)) {
    if (entry.role !== 'Deployment') continue;
    const defaults = configs[entry.app];
    const { env } = containerEnvironment(entry.container, objects);
    for (const [name, { value, from }] of env) {
      if (!(name in defaults) || name in DEFAULTS_NOT_COMPARED || value === undefined) continue;
      const expected = String(defaults[name]);
      if (String(value) !== expected) {
        problems.push(
          `${entry.where}: ${name}=${JSON.stringify(String(value))} (${from}), the code's default is ${JSON.stringify(expected)}`,
        );
      }
    }
  }
  return problems;
}
