// Checks across the objects of one render: what each selector, name and port refers to must be
// there. The API server accepts most of these mistakes and the result simply does not work (a
// Service without endpoints, a PDB guarding nothing, a pod stuck on a missing ConfigMap).
import {
  containersOf,
  list,
  podTemplateOf,
  refOf,
  selectorIsEmpty,
  selectorMatches,
} from './objects.mjs';

const WORKLOADS_WITH_SELECTOR = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);

function byKind(objects, kind) {
  return new Map(objects.filter((o) => o.kind === kind).map((o) => [o.metadata?.name, o]));
}

/** Pod templates of the render with their owner, for selectors to match against. */
function podsOf(objects) {
  return objects.flatMap((object) => {
    const template = podTemplateOf(object);
    return template ? [{ owner: object, labels: template.metadata?.labels ?? {}, template }] : [];
  });
}

/** ConfigMaps and Secrets a pod spec refers to: { kind, name, key?, optional, where }. */
export function configReferencesOf(podSpec) {
  const found = [];
  for (const { container, path } of containersOf(podSpec)) {
    const where = `${path} (${container.name})`;
    for (const source of list(container.envFrom)) {
      if (source.configMapRef)
        found.push({ kind: 'ConfigMap', ...ref(source.configMapRef), where });
      if (source.secretRef) found.push({ kind: 'Secret', ...ref(source.secretRef), where });
    }
    for (const variable of list(container.env)) {
      const from = variable.valueFrom ?? {};
      const at = `${where} env ${variable.name}`;
      if (from.configMapKeyRef)
        found.push({ kind: 'ConfigMap', ...ref(from.configMapKeyRef), where: at });
      if (from.secretKeyRef) found.push({ kind: 'Secret', ...ref(from.secretKeyRef), where: at });
    }
  }
  for (const volume of list(podSpec?.volumes)) {
    const where = `volume ${volume.name}`;
    if (volume.configMap) found.push({ kind: 'ConfigMap', ...ref(volume.configMap), where });
    if (volume.secret) {
      found.push({
        kind: 'Secret',
        name: volume.secret.secretName,
        optional: !!volume.secret.optional,
        where,
      });
    }
    for (const source of list(volume.projected?.sources)) {
      if (source.configMap) found.push({ kind: 'ConfigMap', ...ref(source.configMap), where });
      if (source.secret) found.push({ kind: 'Secret', ...ref(source.secret), where });
    }
  }
  return found;
}

const ref = ({ name, key, optional }) => ({ name, key, optional: !!optional });

/** Secrets the render refers to but does not contain: those it expects to exist already. */
export function externalSecretsOf(objects) {
  const rendered = byKind(objects, 'Secret');
  const names = objects
    .flatMap((object) => configReferencesOf(podTemplateOf(object)?.spec))
    .filter((reference) => reference.kind === 'Secret' && !rendered.has(reference.name))
    .map((reference) => reference.name);
  return [...new Set(names)].sort();
}

function configProblems(objects, externalSecrets) {
  const rendered = { ConfigMap: byKind(objects, 'ConfigMap'), Secret: byKind(objects, 'Secret') };
  const allowed = externalSecrets && new Set(externalSecrets);
  const problems = [];
  for (const object of objects) {
    for (const reference of configReferencesOf(podTemplateOf(object)?.spec)) {
      const { kind, name, key, optional, where } = reference;
      const target = rendered[kind].get(name);
      const at = `${refOf(object)}: ${where}`;
      if (!target) {
        // ConfigMaps all come from the render; Secrets may be created outside it.
        const external = kind === 'Secret' && (!allowed || allowed.has(name));
        if (!optional && !external) problems.push(`${at}: ${kind} "${name}" is not rendered`);
        continue;
      }
      const keys = [
        ...Object.keys(target.data ?? {}),
        ...Object.keys(target.binaryData ?? {}),
        ...Object.keys(target.stringData ?? {}),
      ];
      if (key !== undefined && !optional && !keys.includes(key)) {
        problems.push(`${at}: ${kind} "${name}" has no key "${key}"`);
      }
    }
  }
  return problems;
}

function selectorProblems(objects) {
  const pods = podsOf(objects);
  const selectsSomePod = (selector) => pods.some((pod) => selectorMatches(selector, pod.labels));
  const problems = [];
  for (const object of objects) {
    const ref = refOf(object);
    const spec = object.spec ?? {};
    if (WORKLOADS_WITH_SELECTOR.has(object.kind)) {
      // The API server refuses this one; caught here before anyone applies it.
      if (!selectorMatches(spec.selector, spec.template?.metadata?.labels)) {
        problems.push(`${ref}: spec.selector does not match its own pod template's labels`);
      }
    } else if (object.kind === 'Service' && spec.selector && !selectsSomePod(spec.selector)) {
      problems.push(`${ref}: spec.selector matches no pod template`);
    } else if (object.kind === 'PodDisruptionBudget' && !selectsSomePod(spec.selector)) {
      problems.push(`${ref}: spec.selector matches no pod template`);
    } else if (
      object.kind === 'NetworkPolicy' &&
      !selectorIsEmpty(spec.podSelector) &&
      !selectsSomePod(spec.podSelector)
    ) {
      problems.push(`${ref}: spec.podSelector matches no pod template`);
    } else if (object.kind === 'HorizontalPodAutoscaler') {
      const target = spec.scaleTargetRef ?? {};
      const found = objects.some((o) => o.kind === target.kind && o.metadata?.name === target.name);
      if (!found) {
        problems.push(`${ref}: scaleTargetRef ${target.kind}/${target.name} is not rendered`);
      }
    }
  }
  return problems;
}

/** Whether a container declares `port` (a port name, or a containerPort number). */
function declaresPort(container, port) {
  return list(container.ports).some((declared) =>
    typeof port === 'string' && !/^\d+$/.test(port)
      ? declared.name === port
      : declared.containerPort === Number(port),
  );
}

/** Probes and Service targetPorts must point at a port the container declares. */
function portProblems(objects) {
  const problems = [];
  const pods = podsOf(objects);
  for (const { owner, template } of pods) {
    for (const { container, path } of containersOf(template.spec)) {
      for (const probeName of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
        const probe = container[probeName];
        const port = (probe?.httpGet ?? probe?.tcpSocket ?? probe?.grpc)?.port;
        if (port !== undefined && !declaresPort(container, port)) {
          problems.push(
            `${refOf(owner)}: ${path} (${container.name}) ${probeName} port ${JSON.stringify(port)} is not a declared container port`,
          );
        }
      }
    }
  }
  for (const service of objects.filter((o) => o.kind === 'Service' && o.spec?.selector)) {
    const selected = pods.filter((pod) => selectorMatches(service.spec.selector, pod.labels));
    if (selected.length === 0) continue; // reported as a selector problem
    for (const servicePort of list(service.spec.ports)) {
      const target = servicePort.targetPort ?? servicePort.port;
      const served = selected.some(({ template }) =>
        containersOf(template.spec).some(({ container }) => declaresPort(container, target)),
      );
      if (!served) {
        problems.push(
          `${refOf(service)}: port ${servicePort.name ?? servicePort.port} targets ${JSON.stringify(target)}, which no selected container declares`,
        );
      }
    }
  }
  return problems;
}

/** ServiceMonitors must select a rendered Service and scrape one of its named ports. */
function monitorProblems(objects) {
  const services = objects.filter((o) => o.kind === 'Service');
  const problems = [];
  for (const monitor of objects.filter((o) => o.kind === 'ServiceMonitor')) {
    const selected = services.filter((s) =>
      selectorMatches(monitor.spec?.selector, s.metadata?.labels),
    );
    if (selected.length === 0) {
      problems.push(`${refOf(monitor)}: spec.selector matches no Service's labels`);
      continue;
    }
    for (const endpoint of list(monitor.spec?.endpoints)) {
      if (endpoint.port === undefined) continue;
      const named = selected.some((s) => list(s.spec?.ports).some((p) => p.name === endpoint.port));
      if (!named) {
        problems.push(
          `${refOf(monitor)}: endpoint port "${endpoint.port}" is no port name of the selected Services`,
        );
      }
    }
  }
  return problems;
}

/** Service accounts and RBAC bindings name objects of the render. */
function accountProblems(objects) {
  const accounts = byKind(objects, 'ServiceAccount');
  const problems = [];
  for (const object of objects) {
    const account = podTemplateOf(object)?.spec?.serviceAccountName;
    if (account && account !== 'default' && !accounts.has(account)) {
      problems.push(`${refOf(object)}: ServiceAccount "${account}" is not rendered`);
    }
    if (object.kind === 'RoleBinding') {
      const { kind, name } = object.roleRef ?? {};
      if (kind === 'Role' && !byKind(objects, 'Role').has(name)) {
        problems.push(`${refOf(object)}: roleRef Role "${name}" is not rendered`);
      }
      for (const subject of list(object.subjects)) {
        if (subject.kind === 'ServiceAccount' && !accounts.has(subject.name)) {
          problems.push(
            `${refOf(object)}: subject ServiceAccount "${subject.name}" is not rendered`,
          );
        }
      }
    }
  }
  return problems;
}

/** Every volumeMount names a volume of its pod (the API server refuses it otherwise). */
function mountProblems(objects) {
  const problems = [];
  for (const object of objects) {
    const spec = podTemplateOf(object)?.spec;
    const volumes = new Set(list(spec?.volumes).map((volume) => volume.name));
    for (const { container, path } of containersOf(spec)) {
      for (const mount of list(container.volumeMounts)) {
        if (!volumes.has(mount.name)) {
          problems.push(
            `${refOf(object)}: ${path} (${container.name}) mounts undeclared volume "${mount.name}"`,
          );
        }
      }
    }
  }
  return problems;
}

/** Ingress backends name a rendered Service and one of its ports. */
function ingressProblems(objects) {
  const services = byKind(objects, 'Service');
  const problems = [];
  for (const ingress of objects.filter((o) => o.kind === 'Ingress')) {
    const backends = [
      ingress.spec?.defaultBackend,
      ...list(ingress.spec?.rules).flatMap((rule) =>
        list(rule.http?.paths).map((path) => path.backend),
      ),
    ];
    for (const backend of backends.filter((b) => b?.service)) {
      const { name, port = {} } = backend.service;
      const service = services.get(name);
      if (!service) {
        problems.push(`${refOf(ingress)}: backend Service "${name}" is not rendered`);
      } else if (
        !list(service.spec?.ports).some((p) =>
          port.name !== undefined ? p.name === port.name : p.port === port.number,
        )
      ) {
        problems.push(
          `${refOf(ingress)}: backend port ${port.name ?? port.number} is no port of Service "${name}"`,
        );
      }
    }
  }
  return problems;
}

/**
 * Replica counts that fight each other: a Deployment an HPA scales must not set replicas (every
 * apply would reset the HPA's count), and a PDB must leave at least one pod evictable at the
 * smallest scale, or node drains hang.
 */
function scalingProblems(objects) {
  const problems = [];
  const hpaFor = (workload) =>
    objects.find(
      (o) =>
        o.kind === 'HorizontalPodAutoscaler' &&
        o.spec?.scaleTargetRef?.kind === workload.kind &&
        o.spec?.scaleTargetRef?.name === workload.metadata?.name,
    );
  for (const budget of objects.filter((o) => o.kind === 'PodDisruptionBudget')) {
    const { minAvailable, maxUnavailable } = budget.spec ?? {};
    if (maxUnavailable === 0 || maxUnavailable === '0%') {
      problems.push(`${refOf(budget)}: maxUnavailable 0 blocks every eviction`);
    }
    if (typeof minAvailable !== 'number') continue;
    for (const workload of objects.filter(
      (o) =>
        WORKLOADS_WITH_SELECTOR.has(o.kind) &&
        selectorMatches(budget.spec.selector, o.spec?.template?.metadata?.labels),
    )) {
      const hpa = hpaFor(workload);
      const smallest = hpa ? (hpa.spec?.minReplicas ?? 1) : (workload.spec?.replicas ?? 1);
      if (minAvailable >= smallest) {
        problems.push(
          `${refOf(budget)}: minAvailable ${minAvailable} with ${smallest} replica(s) of ${refOf(workload)} blocks every eviction`,
        );
      }
    }
  }
  for (const workload of objects.filter((o) => WORKLOADS_WITH_SELECTOR.has(o.kind))) {
    if (workload.spec?.replicas !== undefined && hpaFor(workload)) {
      problems.push(
        `${refOf(workload)}: sets spec.replicas although ${refOf(hpaFor(workload))} scales it`,
      );
    }
  }
  return problems;
}

const HOOK = 'helm.sh/hook';
const hookWeight = (object) => Number(object.metadata?.annotations?.['helm.sh/hook-weight'] ?? 0);
const isPreInstallHook = (object) =>
  String(object.metadata?.annotations?.[HOOK] ?? '')
    .split(',')
    .includes('pre-install');

/**
 * A pre-install hook (the migration Jobs) runs before Helm creates the release's other objects:
 * a ConfigMap, Secret or ServiceAccount it uses must be a hook of no greater weight itself, or
 * the first install waits on a pod that cannot start.
 */
function hookProblems(objects) {
  const problems = [];
  for (const hook of objects.filter(isPreInstallHook)) {
    const spec = podTemplateOf(hook)?.spec;
    if (!spec) continue;
    const needs = configReferencesOf(spec).map(({ kind, name }) => ({ kind, name }));
    if (spec.serviceAccountName)
      needs.push({ kind: 'ServiceAccount', name: spec.serviceAccountName });
    for (const { kind, name } of needs) {
      const target = objects.find((o) => o.kind === kind && o.metadata?.name === name);
      if (target && !(isPreInstallHook(target) && hookWeight(target) <= hookWeight(hook))) {
        problems.push(
          `${refOf(hook)}: pre-install hook uses ${kind} "${name}", which is created only after the hooks`,
        );
      }
    }
  }
  return problems;
}

export function referenceProblems(objects, { externalSecrets } = {}) {
  return [
    ...selectorProblems(objects),
    ...configProblems(objects, externalSecrets),
    ...portProblems(objects),
    ...monitorProblems(objects),
    ...accountProblems(objects),
    ...mountProblems(objects),
    ...ingressProblems(objects),
    ...scalingProblems(objects),
    ...hookProblems(objects),
  ];
}
