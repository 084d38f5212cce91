import {
  ComponentHealth,
  HealthProblem,
} from '@clearml-openshift/plugin-clearml-common';

const key = (p: HealthProblem) =>
  `${p.severity}\u0000${p.reason}\u0000${p.message}`;

/**
 * Problems every component reports alike (the backend gives each component the
 * same `ClusterUnreachable` when the cluster does not answer) are shown once,
 * for the whole tenant, instead of once per row.
 */
export function splitSharedProblems(components: ComponentHealth[]): {
  shared: HealthProblem[];
  components: ComponentHealth[];
} {
  if (components.length < 2) {
    return { shared: [], components };
  }
  const [first, ...rest] = components;
  const shared = first.problems.filter(p =>
    rest.every(c => c.problems.some(q => key(q) === key(p))),
  );
  if (shared.length === 0) {
    return { shared, components };
  }
  const sharedKeys = new Set(shared.map(key));
  return {
    shared,
    components: components.map(c => ({
      ...c,
      problems: c.problems.filter(p => !sharedKeys.has(key(p))),
    })),
  };
}
