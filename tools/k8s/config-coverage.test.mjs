// configCoverage and defaultsProblems on small renders, with stand-in config classes (the real
// ones are checked against the real renders in deployment.test.mjs).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  APPS,
  appContainersOf,
  configCoverage,
  defaultsProblems,
  DEFAULTS_NOT_COMPARED,
} from './config-coverage.mjs';

// Every app reads LOG_LEVEL, MYSQL_HOST and MYSQL_PASSWORD; the gateway JWT_SECRET as well.
const configs = Object.fromEntries(
  Object.keys(APPS).map((app) => [
    app,
    {
      LOG_LEVEL: 'info',
      MYSQL_HOST: '127.0.0.1',
      MYSQL_PASSWORD: '',
      ...(app === 'gateway' ? { JWT_SECRET: 'dev' } : {}),
    },
  ]),
);

const configMap = (name, data) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name },
  data,
});

function appContainer(app, extraEnv = []) {
  return {
    name: app,
    image: `member-system/${app}:1.0.0`,
    envFrom: [{ configMapRef: { name: `${app}-config` } }],
    env: [
      { name: 'MYSQL_PASSWORD', valueFrom: { secretKeyRef: { name: 'mysql', key: 'password' } } },
      ...extraEnv,
    ],
  };
}

const workload = (kind, name, labels, containers, initContainers) => ({
  apiVersion: kind === 'Job' ? 'batch/v1' : 'apps/v1',
  kind,
  metadata: { name, labels },
  spec: { template: { metadata: { labels }, spec: { containers, initContainers } } },
});

/** Manifests naming the app: name label = app, migration Jobs have component `migration`. */
function kustomizeStyleRender() {
  return Object.keys(APPS).flatMap((app) => {
    const jwt = { secretKeyRef: { name: 'jwt', key: 'JWT_SECRET' } };
    const extra = app === 'gateway' ? [{ name: 'JWT_SECRET', valueFrom: jwt }] : [];
    return [
      configMap(`${app}-config`, { LOG_LEVEL: 'info', MYSQL_HOST: 'mysql' }),
      workload('Deployment', app, { 'app.kubernetes.io/name': app }, [appContainer(app, extra)]),
      workload(
        'Job',
        `${app}-migrate`,
        { 'app.kubernetes.io/name': app, 'app.kubernetes.io/component': 'migration' },
        [{ ...appContainer(app, extra), name: 'migrate' }],
      ),
    ];
  });
}

describe('appContainersOf', () => {
  it('reads app-named labels (name = app, component = migration)', () => {
    const found = appContainersOf(kustomizeStyleRender());
    assert.equal(found.length, 10);
    assert.deepEqual(
      found.filter((entry) => entry.app === 'gateway').map((entry) => entry.role),
      ['Deployment', 'migration'],
    );
  });

  it("reads the chart's and kustomize base's labels (component = app, or <app>-migration)", () => {
    const labels = (component) => ({
      'app.kubernetes.io/name': 'member-system',
      'app.kubernetes.io/component': component,
    });
    const found = appContainersOf([
      workload('Deployment', 'ms-point-service', labels('point-service'), [
        appContainer('point-service'),
      ]),
      workload('Job', 'ms-point-service-migrate', labels('point-service-migration'), [
        { name: 'migrate', image: 'member-system/point-service:1' },
      ]),
    ]);
    assert.deepEqual(
      found.map(({ app, role }) => `${app} ${role}`),
      ['point-service Deployment', 'point-service migration'],
    );
  });

  it('maps the containers of one Job running several migrations by their command', () => {
    const migrate = (app) => ({
      name: `migrate-${app}`,
      image: 'member-system/tools:1',
      command: ['node', `dist/apps/${app}/src/migrate.js`],
    });
    const found = appContainersOf([
      workload(
        'Job',
        'migrations',
        { 'app.kubernetes.io/name': 'member-system' },
        [migrate('event-service')],
        [migrate('gateway'), migrate('member-service')],
      ),
    ]);
    assert.deepEqual(
      found.map(({ app, role }) => `${app} ${role}`),
      ['gateway migration', 'member-service migration', 'event-service migration'],
    );
  });
});

describe('configCoverage', () => {
  it('passes when every app container gets exactly its settings', () => {
    assert.deepEqual(configCoverage(kustomizeStyleRender(), configs).problems, []);
  });

  it('reports missing and extra names per container', () => {
    const objects = kustomizeStyleRender();
    objects.find((o) => o.metadata.name === 'point-service-config').data = {
      LOG_LEVEL: 'info',
      MYSQL_HSOT: 'mysql',
    };
    const { problems, rows } = configCoverage(objects, configs);
    assert.deepEqual(problems, [
      'Deployment/point-service containers[0] (point-service): missing MYSQL_HOST',
      'Deployment/point-service containers[0] (point-service): extra MYSQL_HSOT (no point-service setting)',
      'Job/point-service-migrate containers[0] (migrate): missing MYSQL_HOST',
      'Job/point-service-migrate containers[0] (migrate): extra MYSQL_HSOT (no point-service setting)',
    ]);
    assert.equal(rows.length, 10);
  });

  it('gets no names from a ConfigMap that is not rendered', () => {
    const objects = kustomizeStyleRender().filter((o) => o.metadata.name !== 'gateway-config');
    const { problems } = configCoverage(objects, configs);
    assert.ok(
      problems.includes(
        'Deployment/gateway containers[0] (gateway): missing LOG_LEVEL, MYSQL_HOST',
      ),
    );
  });

  it('reports an app without a Deployment or migration', () => {
    const objects = kustomizeStyleRender().filter(
      (o) => o.metadata.name !== 'benefit-service-migrate',
    );
    assert.deepEqual(configCoverage(objects, configs).problems, [
      'benefit-service: no migration Job container found',
    ]);
  });
});

describe('defaultsProblems', () => {
  it("reports a value other than the code's default, skipping DEFAULTS_NOT_COMPARED", () => {
    assert.ok('MYSQL_HOST' in DEFAULTS_NOT_COMPARED);
    const objects = kustomizeStyleRender();
    assert.deepEqual(defaultsProblems(objects, configs), []);
    objects.find((o) => o.metadata.name === 'event-service-config').data.LOG_LEVEL = 'debug';
    assert.deepEqual(defaultsProblems(objects, configs), [
      `Deployment/event-service containers[0] (event-service): LOG_LEVEL="debug" (ConfigMap event-service-config), the code's default is "info"`,
    ]);
  });
});
