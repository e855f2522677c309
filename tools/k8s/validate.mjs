// Offline checks of rendered manifests: each object against its API schema (types, required
// fields, unknown fields), then what only the whole render shows (selectors that select nothing,
// references to ConfigMaps that are not there, probes on undeclared ports) and the pod security
// every app container must have. Each problem is a line naming the object.
import { modelFor } from './models.mjs';
import { containersOf, podTemplateOf, refOf } from './objects.mjs';
import { referenceProblems } from './references.mjs';
import { unknownFields } from './unknown-fields.mjs';

/** Problems of one object on its own: kind, schema, unknown fields, names, images. */
export function objectProblems(object) {
  if (object === null || typeof object !== 'object' || Array.isArray(object)) {
    return [`${JSON.stringify(object)}: not an object`];
  }
  const ref = refOf(object);
  const entry = modelFor(object);
  if (!entry) {
    return [`${ref}: unknown apiVersion/kind "${object.apiVersion} ${object.kind}"`];
  }
  const problems = [];
  if (!object.metadata?.name) problems.push(`${ref}: metadata.name is missing`);
  try {
    new entry.model(object).validate();
  } catch (error) {
    for (const detail of error.errors ?? [{ message: error.message }]) {
      problems.push(`${ref}: ${schemaMessage(detail)}`);
    }
  }
  for (const path of unknownFields(object)) problems.push(`${ref}: ${path}: unknown field`);
  // The schema leaves image optional (a controller may fill it in); nothing here does.
  for (const { container, path } of containersOf(podTemplateOf(object)?.spec)) {
    if (!container.image) problems.push(`${ref}: ${path} (${container.name}) has no image`);
  }
  return problems;
}

/** An ajv error as `spec.replicas: must be integer`. */
function schemaMessage({ instancePath, message, params }) {
  const path = (instancePath ?? '')
    .split('/')
    .filter(Boolean)
    .map((segment) => (/^\d+$/.test(segment) ? `[${segment}]` : `.${segment}`))
    .join('')
    .replace(/^\./, '');
  const detail = params?.allowedValues ? ` (${params.allowedValues.join(', ')})` : '';
  return `${path || '(object)'}: ${message ?? 'is invalid'}${detail}`;
}

function duplicateProblems(objects) {
  const seen = new Set();
  const problems = [];
  for (const object of objects) {
    const key = `${object?.apiVersion} ${object?.kind} ${object?.metadata?.namespace ?? ''}/${object?.metadata?.name}`;
    if (seen.has(key)) problems.push(`${refOf(object)}: rendered twice`);
    seen.add(key);
  }
  return problems;
}

/**
 * Every container runs as a non-root user on a read-only root filesystem. runAsNonRoot and
 * runAsUser may come from the pod's securityContext; readOnlyRootFilesystem is per container.
 */
export function securityProblems(object) {
  const template = podTemplateOf(object);
  if (!template) return [];
  const pod = template.spec?.securityContext ?? {};
  const problems = [];
  for (const { container, path } of containersOf(template.spec)) {
    const own = container.securityContext ?? {};
    const where = `${refOf(object)}: ${path} (${container.name})`;
    if ((own.runAsNonRoot ?? pod.runAsNonRoot) !== true) {
      problems.push(`${where}: runAsNonRoot is not true`);
    }
    if ((own.runAsUser ?? pod.runAsUser) === 0) problems.push(`${where}: runAsUser is 0 (root)`);
    if (own.readOnlyRootFilesystem !== true) {
      problems.push(`${where}: readOnlyRootFilesystem is not true`);
    }
  }
  return problems;
}

/**
 * Problems of a whole render. `externalSecrets`: the Secrets the render may reference without
 * rendering them (created outside it); left out, unrendered Secrets are not checked.
 */
export function validateObjects(objects, { externalSecrets } = {}) {
  const problems = objects.flatMap(objectProblems);
  problems.push(...duplicateProblems(objects));
  // Objects of unknown kinds have been reported and are left out of the checks across objects.
  const sound = objects.filter((object) => modelFor(object));
  problems.push(...sound.flatMap(securityProblems));
  problems.push(...referenceProblems(sound, { externalSecrets }));
  return problems;
}
