// The object kinds the manifests may use, by apiVersion and kind, from kubernetes-models (the
// Kubernetes 1.3x API) and the Prometheus Operator models. Only the API versions a current cluster
// serves are listed: a removed one (policy/v1beta1, autoscaling/v2beta2) is as wrong as a typo.
import * as apps from 'kubernetes-models/apps/v1';
import * as autoscaling from 'kubernetes-models/autoscaling/v2';
import * as batch from 'kubernetes-models/batch/v1';
import * as networking from 'kubernetes-models/networking.k8s.io/v1';
import * as policy from 'kubernetes-models/policy/v1';
import * as rbac from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import * as core from 'kubernetes-models/v1';
import * as monitoring from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';

// Each group's models and the package path its type declarations live under.
const GROUPS = [
  [core, 'kubernetes-models/v1'],
  [apps, 'kubernetes-models/apps/v1'],
  [batch, 'kubernetes-models/batch/v1'],
  [autoscaling, 'kubernetes-models/autoscaling/v2'],
  [policy, 'kubernetes-models/policy/v1'],
  [networking, 'kubernetes-models/networking.k8s.io/v1'],
  [rbac, 'kubernetes-models/rbac.authorization.k8s.io/v1'],
  [monitoring, '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1'],
];

/**
 * `apiVersion kind` → { model, typeModule, typeName }: the class whose validate() checks the
 * schema's types and required fields, and the TypeScript interface that lists its fields.
 */
export const MODELS = new Map(
  GROUPS.flatMap(([namespace, typePath]) =>
    Object.values(namespace)
      .filter((value) => typeof value === 'function' && value.apiVersion && value.kind)
      .map((model) => [
        modelKey(model.apiVersion, model.kind),
        { model, typeModule: `${typePath}/${model.kind}`, typeName: `I${model.kind}` },
      ]),
  ),
);

export function modelKey(apiVersion, kind) {
  return `${apiVersion} ${kind}`;
}

export function modelFor(object) {
  return MODELS.get(modelKey(object?.apiVersion, object?.kind));
}
