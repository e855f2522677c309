import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { externalSecretsOf } from './references.mjs';
import { unknownFields } from './unknown-fields.mjs';
import { validateObjects } from './validate.mjs';

const labels = { 'app.kubernetes.io/name': 'gateway', 'app.kubernetes.io/instance': 'ms' };

/** A Deployment, its Service and ConfigMap that pass every check; tests break one thing each. */
function goodRender() {
  return [
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'gateway' },
      data: { LOG_LEVEL: 'info' },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'gateway', labels },
      spec: {
        replicas: 2,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            securityContext: { runAsNonRoot: true, runAsUser: 10001 },
            containers: [
              {
                name: 'gateway',
                image: 'member-system/gateway:1.0.0',
                ports: [{ name: 'http', containerPort: 3000 }],
                envFrom: [{ configMapRef: { name: 'gateway' } }],
                env: [
                  {
                    name: 'MYSQL_PASSWORD',
                    valueFrom: { secretKeyRef: { name: 'member-system-mysql', key: 'password' } },
                  },
                ],
                readinessProbe: { httpGet: { path: '/health/ready', port: 'http' } },
                livenessProbe: { tcpSocket: { port: 3000 } },
                securityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false },
                volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
              },
            ],
            volumes: [{ name: 'tmp', emptyDir: {} }],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'gateway', labels },
      spec: { selector: labels, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
    },
    {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'gateway' },
      spec: { minAvailable: 1, selector: { matchLabels: labels } },
    },
  ];
}

/** goodRender() with `edit` applied to its Deployment. */
function withDeployment(edit) {
  const objects = goodRender();
  edit(objects.find((object) => object.kind === 'Deployment'));
  return objects;
}

const container = (deployment) => deployment.spec.template.spec.containers[0];

function assertProblem(objects, pattern) {
  const problems = validateObjects(objects);
  assert.ok(
    problems.some((problem) => pattern.test(problem)),
    `expected a problem matching ${pattern}, got:\n${problems.join('\n') || '(none)'}`,
  );
}

describe('validateObjects', () => {
  it('passes a good Deployment with its Service, ConfigMap and PDB', () => {
    assert.deepEqual(validateObjects(goodRender()), []);
  });

  it('rejects an unknown apiVersion', () => {
    assertProblem(
      withDeployment((d) => (d.apiVersion = 'apps/v2')),
      /Deployment\/gateway: unknown apiVersion\/kind "apps\/v2 Deployment"/,
    );
  });

  it('rejects an API version the cluster no longer serves', () => {
    const objects = goodRender();
    objects.find((o) => o.kind === 'PodDisruptionBudget').apiVersion = 'policy/v1beta1';
    assertProblem(objects, /PodDisruptionBudget\/gateway: unknown apiVersion\/kind/);
  });

  it('rejects a misspelt field, at any depth', () => {
    assertProblem(
      withDeployment((d) => (d.spec.replcias = 2)),
      /Deployment\/gateway: spec\.replcias: unknown field/,
    );
    assertProblem(
      withDeployment((d) => (container(d).imagePullPolicey = 'Always')),
      /spec\.template\.spec\.containers\[0\]\.imagePullPolicey: unknown field/,
    );
    assertProblem(
      withDeployment((d) => (d.metadata.lables = {})),
      /Deployment\/gateway: metadata\.lables: unknown field/,
    );
  });

  it('rejects a wrong type', () => {
    assertProblem(
      withDeployment((d) => (d.spec.replicas = 'two')),
      /Deployment\/gateway: spec\.replicas: must be integer/,
    );
  });

  it('rejects a container without an image', () => {
    assertProblem(
      withDeployment((d) => delete container(d).image),
      /Deployment\/gateway: containers\[0\] \(gateway\) has no image/,
    );
  });

  it('rejects a missing required field', () => {
    assertProblem(
      withDeployment((d) => delete d.spec.selector),
      /Deployment\/gateway: spec: must have required property selector/,
    );
  });

  it('rejects selectors that select nothing', () => {
    const objects = goodRender();
    objects.find((o) => o.kind === 'Service').spec.selector = { 'app.kubernetes.io/name': 'gw' };
    assertProblem(objects, /Service\/gateway: spec\.selector matches no pod template/);
    assertProblem(
      withDeployment((d) => (d.spec.template.metadata.labels = { app: 'other' })),
      /Deployment\/gateway: spec\.selector does not match its own pod template's labels/,
    );
  });

  it('rejects a reference to a ConfigMap that is not rendered', () => {
    assertProblem(
      withDeployment((d) => (container(d).envFrom[0].configMapRef.name = 'gateway-config')),
      /ConfigMap "gateway-config" is not rendered/,
    );
  });

  it('accepts external Secrets from the allow-list only, when one is given', () => {
    assert.deepEqual(externalSecretsOf(goodRender()), ['member-system-mysql']);
    assert.deepEqual(
      validateObjects(goodRender(), { externalSecrets: ['member-system-mysql'] }),
      [],
    );
    const problems = validateObjects(
      withDeployment((d) => (container(d).env[0].valueFrom.secretKeyRef.name = 'ms-mysql')),
      { externalSecrets: ['member-system-mysql'] },
    );
    assert.match(problems.join('\n'), /Secret "ms-mysql" is not rendered/);
  });

  it('rejects probes on undeclared ports', () => {
    assertProblem(
      withDeployment((d) => (container(d).readinessProbe.httpGet.port = 'htp')),
      /readinessProbe port "htp" is not a declared container port/,
    );
    assertProblem(
      withDeployment((d) => (container(d).livenessProbe.tcpSocket.port = 3001)),
      /livenessProbe port 3001 is not a declared container port/,
    );
  });

  it('rejects a Service port no container declares', () => {
    const objects = goodRender();
    objects.find((o) => o.kind === 'Service').spec.ports[0].targetPort = 'metrics';
    assertProblem(objects, /Service\/gateway: port http targets "metrics"/);
  });

  it('rejects containers that may run as root or write their root filesystem', () => {
    assertProblem(
      withDeployment((d) => delete d.spec.template.spec.securityContext.runAsNonRoot),
      /containers\[0\] \(gateway\): runAsNonRoot is not true/,
    );
    assertProblem(
      withDeployment((d) => (container(d).securityContext.readOnlyRootFilesystem = false)),
      /containers\[0\] \(gateway\): readOnlyRootFilesystem is not true/,
    );
  });

  it('rejects a pre-install hook that uses an object created after the hooks', () => {
    const objects = withDeployment((d) => {
      d.kind = 'Job';
      d.apiVersion = 'batch/v1';
      d.metadata.annotations = { 'helm.sh/hook': 'pre-install,pre-upgrade' };
      delete d.spec.selector;
      delete d.spec.replicas;
      d.spec.template.spec.restartPolicy = 'Never';
    }).filter((o) => o.kind !== 'Service' && o.kind !== 'PodDisruptionBudget');
    assertProblem(objects, /Job\/gateway: pre-install hook uses ConfigMap "gateway"/);
    objects[0].metadata.annotations = {
      'helm.sh/hook': 'pre-install',
      'helm.sh/hook-weight': '-5',
    };
    assert.deepEqual(validateObjects(objects), []);
  });

  it('rejects a mount of an undeclared volume', () => {
    assertProblem(
      withDeployment((d) => (container(d).volumeMounts[0].name = 'tpm')),
      /mounts undeclared volume "tpm"/,
    );
  });
});

describe('unknownFields', () => {
  it('follows maps, arrays and Prometheus Operator kinds', () => {
    assert.deepEqual(
      unknownFields({
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'PrometheusRule',
        metadata: { name: 'rules', labels: { release: 'prometheus' } },
        spec: {
          groups: [
            { name: 'g', rules: [{ alert: 'A', expr: 'up == 0', fro: '5m', labels: { a: 'b' } }] },
          ],
        },
      }),
      ['spec.groups[0].rules[0].fro'],
    );
  });
});
