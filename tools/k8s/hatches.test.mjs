// The chart's escape hatches land where the values say: tools/k8s/fixtures/hatch-values.yaml sets
// each one globally and for some apps (k8s:check validates that render as a whole), the defaults
// render none of them, and `helm test` has its hook Pod. Offline: helm comes from node_modules.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { renderChart } from './render.mjs';
import { hatchValues } from './sources.mjs';

/** Each app's name (resource suffix) and values key. */
const APPS = {
  gateway: 'gateway',
  'member-service': 'memberService',
  'point-service': 'pointService',
  'benefit-service': 'benefitService',
  'event-service': 'eventService',
};
const DEPLOYMENT_APPS = Object.keys(APPS);
const SELECTOR_KEYS = [
  'app.kubernetes.io/name',
  'app.kubernetes.io/instance',
  'app.kubernetes.io/component',
];

const named = (objects, kind, suffix) => {
  const found = objects.find(
    (object) => object.kind === kind && object.metadata.name.endsWith(suffix),
  );
  assert.ok(found, `no ${kind} named *${suffix}`);
  return found;
};
const deployment = (objects, app) => named(objects, 'Deployment', `-${app}`);
const podSpec = (object) => object.spec.template.spec;
const mainContainer = (object, name) => {
  const container = podSpec(object).containers.find((candidate) => candidate.name === name);
  assert.ok(container, `no container ${name}`);
  return container;
};
const names = (entries = []) => entries.map((entry) => entry.name);

describe('the chart with every escape hatch in use', () => {
  let objects;
  let values;
  before(() => {
    values = hatchValues();
    objects = renderChart(values);
  });

  it('appends the global extraEnv to every app, then the app’s own', () => {
    const global = names(values.extraEnv);
    for (const app of DEPLOYMENT_APPS) {
      const env = names(mainContainer(deployment(objects, app), app).env);
      assert.deepEqual(env.slice(env.indexOf(global[0])), [
        ...global,
        ...names(values[APPS[app]]?.extraEnv),
      ]);
    }
    const gatewayEnv = mainContainer(deployment(objects, 'gateway'), 'gateway').env;
    assert.equal(gatewayEnv.at(-1).name, 'OTEL_SERVICE_NAME');
    // The chart's own entries stay in front.
    assert.equal(gatewayEnv[0].name, 'MYSQL_USER');
  });

  it('appends extraEnvFrom after the app’s ConfigMap', () => {
    const gateway = mainContainer(deployment(objects, 'gateway'), 'gateway');
    assert.deepEqual(gateway.envFrom, [
      { configMapRef: { name: 'member-system-gateway' } },
      { secretRef: { name: 'company-proxy-credentials' } },
      { prefix: 'OTEL_', secretRef: { name: 'gateway-otel' } },
    ]);
    const member = mainContainer(deployment(objects, 'member-service'), 'member-service');
    assert.deepEqual(member.envFrom.at(-1), { secretRef: { name: 'company-proxy-credentials' } });
  });

  it('adds the volumes to the pod and the mounts to the app container', () => {
    const gateway = deployment(objects, 'gateway');
    assert.deepEqual(names(podSpec(gateway).volumes), ['tmp', 'company-ca', 'otel-buffer']);
    assert.deepEqual(names(mainContainer(gateway, 'gateway').volumeMounts), [
      'tmp',
      'company-ca',
      'otel-buffer',
    ]);
    const events = deployment(objects, 'event-service');
    assert.deepEqual(names(podSpec(events).volumes), ['tmp', 'company-ca']);
    assert.deepEqual(mainContainer(events, 'event-service').volumeMounts.at(-1), {
      name: 'company-ca',
      mountPath: '/etc/ssl/company',
      readOnly: true,
    });
  });

  it('runs the initContainers before every app and the sidecars beside the gateway', () => {
    for (const app of DEPLOYMENT_APPS) {
      assert.deepEqual(names(podSpec(deployment(objects, app)).initContainers), ['wait-for-vault']);
    }
    assert.deepEqual(names(podSpec(deployment(objects, 'gateway')).containers), [
      'gateway',
      'otel-agent',
    ]);
    assert.deepEqual(names(podSpec(deployment(objects, 'benefit-service')).containers), [
      'benefit-service',
    ]);
  });

  it('references an image with a digest as repository@digest', () => {
    assert.equal(
      mainContainer(deployment(objects, 'gateway'), 'gateway').image,
      `member-system/gateway@${values.gateway.image.digest}`,
    );
    assert.equal(
      podSpec(named(objects, 'Job', '-point-service-migrate')).containers[0].image,
      `member-system/point-service@${values.pointService.image.digest}`,
    );
    assert.equal(
      named(objects, 'CronJob', '-backup-full').spec.jobTemplate.spec.template.spec.containers[0]
        .image,
      `member-system/backup@${values.backup.image.digest}`,
    );
    // Without a digest, the tag as before.
    assert.equal(
      mainContainer(deployment(objects, 'member-service'), 'member-service').image,
      'member-system/member-service:0.1.0',
    );
  });

  it('merges the pod labels and annotations, the app’s winning, the selector untouched', () => {
    const gateway = deployment(objects, 'gateway');
    const { labels, annotations } = gateway.spec.template.metadata;
    assert.equal(labels.team, 'members');
    assert.equal(labels['cost-center'], 'api');
    assert.equal(annotations['example.com/owner'], 'members-team');
    assert.equal(annotations['example.com/tier'], 'edge');
    assert.ok(annotations['checksum/config']);
    assert.equal(
      deployment(objects, 'member-service').spec.template.metadata.labels['cost-center'],
      'loyalty',
    );
    for (const app of DEPLOYMENT_APPS) {
      const object = deployment(objects, app);
      const { matchLabels } = object.spec.selector;
      assert.deepEqual(Object.keys(matchLabels).sort(), [...SELECTOR_KEYS].sort());
      assert.equal(matchLabels['app.kubernetes.io/component'], app);
      for (const key of SELECTOR_KEYS) {
        assert.equal(object.spec.template.metadata.labels[key], matchLabels[key]);
      }
      assert.deepEqual(named(objects, 'Service', `-${app}`).spec.selector, matchLabels);
    }
  });

  it('gives the migration Jobs the apps’ env, volumes and pod metadata, not their containers', () => {
    const job = named(objects, 'Job', '-gateway-migrate');
    const spec = podSpec(job);
    assert.deepEqual(names(spec.containers), ['migrate']);
    assert.equal(spec.initContainers, undefined);
    assert.deepEqual(names(spec.containers[0].env).slice(-3), [
      'HTTPS_PROXY',
      'NODE_EXTRA_CA_CERTS',
      'OTEL_SERVICE_NAME',
    ]);
    assert.deepEqual(names(spec.volumes), ['tmp', 'company-ca', 'otel-buffer']);
    assert.equal(job.spec.template.metadata.labels['cost-center'], 'api');
    assert.equal(
      job.spec.template.metadata.labels['app.kubernetes.io/component'],
      'gateway-migration',
    );
    assert.equal(job.spec.template.metadata.annotations['example.com/tier'], 'edge');
  });

  it('gives the backup pods their own hatches and the global pod metadata', () => {
    const pod = named(objects, 'CronJob', '-backup-full').spec.jobTemplate.spec.template;
    const [container] = pod.spec.containers;
    assert.equal(container.env.at(-1).name, 'TZ');
    assert.ok(!names(container.env).includes('HTTPS_PROXY'));
    assert.deepEqual(container.envFrom, [{ secretRef: { name: 'backup-offsite-credentials' } }]);
    assert.deepEqual(names(pod.spec.volumes), ['backup', 'tmp', 'backup-scratch']);
    assert.deepEqual(names(container.volumeMounts), ['backup', 'tmp', 'backup-scratch']);
    assert.equal(pod.metadata.labels['backup-tier'], 'nightly');
    assert.equal(pod.metadata.labels.team, 'members');
    assert.equal(pod.metadata.labels['app.kubernetes.io/component'], 'backup');
    assert.equal(pod.metadata.annotations['example.com/owner'], 'dba-team');
  });
});

describe('the chart with its default values', () => {
  let objects;
  before(() => {
    objects = renderChart();
  });

  it('renders no escape hatch', () => {
    for (const app of DEPLOYMENT_APPS) {
      const object = deployment(objects, app);
      const spec = podSpec(object);
      assert.equal(spec.initContainers, undefined);
      assert.deepEqual(names(spec.containers), [app]);
      assert.deepEqual(names(spec.volumes), ['tmp']);
      assert.deepEqual(spec.containers[0].envFrom, [
        { configMapRef: { name: object.metadata.name } },
      ]);
      assert.match(spec.containers[0].image, /^member-system\/[\w-]+:0\.1\.0$/);
    }
  });

  it('has a helm test Pod that checks every app’s /health/ready through its Service', () => {
    const pod = named(objects, 'Pod', '-test-health');
    assert.equal(pod.metadata.annotations['helm.sh/hook'], 'test');
    assert.equal(pod.spec.restartPolicy, 'Never');
    const [container] = pod.spec.containers;
    const urls = container.env.find((variable) => variable.name === 'READY_URLS').value.split(' ');
    const expected = DEPLOYMENT_APPS.map((app) => {
      const service = named(objects, 'Service', `-${app}`);
      return `http://${service.metadata.name}:${service.spec.ports[0].port}/health/ready`;
    });
    assert.deepEqual(urls, expected);
    assert.match(container.command.join(' '), /response\.status !== 200/);
    assert.equal(container.securityContext.readOnlyRootFilesystem, true);
    assert.equal(pod.spec.securityContext.runAsNonRoot, true);
    // The services' NetworkPolicies admit it.
    const policy = named(objects, 'NetworkPolicy', '-point-service');
    const peers = policy.spec.ingress[0].from.map((peer) => peer.podSelector?.matchLabels);
    assert.ok(
      peers.some(
        (labels) =>
          labels &&
          Object.entries(labels).every(([key, value]) => pod.metadata.labels[key] === value) &&
          labels['app.kubernetes.io/component'] === 'test',
      ),
    );
  });

  it('refuses malformed hatches (values.schema.json)', () => {
    for (const values of [
      { gateway: { image: { digest: 'latest' } } },
      { extraEnv: [{ value: 'no name' }] },
      { extraVolumeMounts: [{ name: 'ca' }] },
      { sidecars: [{ name: 'no-image' }] },
      { pointService: { podLabels: { tier: 1 } } },
      { backup: { sidecars: [] } },
    ]) {
      assert.throws(() => renderChart(values), /values don't meet the specifications/);
    }
  });

  it('leaves the test Pod out when tests are off', () => {
    const off = renderChart({ tests: { enabled: false } });
    assert.equal(
      off.find((object) => object.kind === 'Pod'),
      undefined,
    );
  });
});
