/**
 * The OpenShift releases the product supports, each with the Kubernetes version it ships as `GET /version` reports
 * it (OpenShift 4.18 ships Kubernetes 1.31, 4.19 ships 1.32, 4.20 ships 1.33): what the Kubernetes API double plays
 * for the end-to-end suites and the local instance's demo cluster.
 */
export const OPENSHIFT_KUBERNETES_VERSIONS = {
  '1.31': { openshift: '4.18', gitVersion: '1.31.6' },
  '1.32': { openshift: '4.19', gitVersion: '1.32.5' },
  '1.33': { openshift: '4.20', gitVersion: '1.33.3' },
} as const;

/** A Kubernetes minor version of {@link OPENSHIFT_KUBERNETES_VERSIONS}. */
export type OpenshiftKubernetesVersion =
  keyof typeof OPENSHIFT_KUBERNETES_VERSIONS;
