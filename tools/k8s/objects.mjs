// Small helpers over rendered objects: names, pod templates, containers and label selectors.

/** `Kind/name`, how problems name an object. */
export function refOf(object) {
  return `${object?.kind ?? '<no kind>'}/${object?.metadata?.name ?? '<no name>'}`;
}

/** The pod template of a workload ({ metadata, spec }), or the Pod itself; undefined otherwise. */
export function podTemplateOf(object) {
  switch (object?.kind) {
    case 'Pod':
      return object;
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'Job':
      return object.spec?.template;
    case 'CronJob':
      return object.spec?.jobTemplate?.spec?.template;
    default:
      return undefined;
  }
}

/** `value` if it is an array, else none: cross-object checks also see schema-invalid objects. */
export const list = (value) => (Array.isArray(value) ? value : []);

/** Every container of a pod spec, init containers first, each with where it sits. */
export function containersOf(podSpec) {
  return [
    ...list(podSpec?.initContainers).map((container, index) => ({
      container,
      path: `initContainers[${index}]`,
    })),
    ...list(podSpec?.containers).map((container, index) => ({
      container,
      path: `containers[${index}]`,
    })),
  ];
}

/** Whether a map selector (Service) or a LabelSelector (matchLabels/matchExpressions) matches. */
export function selectorMatches(selector, labels = {}) {
  if (!selector) return false;
  const isLabelSelector = 'matchLabels' in selector || 'matchExpressions' in selector;
  const matchLabels = isLabelSelector ? (selector.matchLabels ?? {}) : selector;
  const expressions = isLabelSelector ? list(selector.matchExpressions) : [];
  return (
    Object.entries(matchLabels).every(([key, value]) => labels[key] === value) &&
    expressions.every(({ key, operator, values = [] }) => {
      const has = Object.hasOwn(labels, key);
      switch (operator) {
        case 'In':
          return has && values.includes(labels[key]);
        case 'NotIn':
          return !has || !values.includes(labels[key]);
        case 'Exists':
          return has;
        case 'DoesNotExist':
          return !has;
        default:
          return false;
      }
    })
  );
}

/** An empty selector ({} or no matchLabels/matchExpressions) selects everything. */
export function selectorIsEmpty(selector) {
  if (!selector) return true;
  if ('matchLabels' in selector || 'matchExpressions' in selector) {
    return (
      Object.keys(selector.matchLabels ?? {}).length === 0 &&
      list(selector.matchExpressions).length === 0
    );
  }
  return Object.keys(selector).length === 0;
}
