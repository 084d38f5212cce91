import type { ChartCompatibility } from './charts';
import type { ImageSettings } from './images';

/**
 * A configured cluster as the clearml backend describes it to the frontend (`GET /api/clearml/v1/clusters`).
 *
 * @public
 */
export interface ClusterSummary {
  /** The name templates and the `clear.ml/cluster` annotation use. */
  name: string;
  /** The cluster's apps domain; the default tenant domain is `clearml-<tenant>.<appsDomain>` (`defaultTenantDomain`), hosts `clearml-<tenant>-app.<appsDomain>`, …. */
  appsDomain?: string;
  /** Whether a grant credential is configured, so `clearml:scc:grant` can apply SCC grants there. */
  canGrant: boolean;
  /** The cluster's Kubernetes version (`GET /version` with the read credential), when it answered. */
  kubernetesVersion?: string;
  /** Why the version is unknown (no read credential, the cluster did not answer). */
  kubernetesVersionError?: string;
  /** Whether each configured chart's `kubeVersion` accepts that version. */
  charts?: ChartCompatibility[];
  /** True when the platform team set `clearml.charts.kubeVersionOverride`: refused charts are rendered for that version instead. */
  kubeVersionOverride?: string;
  /** The cluster's StorageClasses (read credential), when it answered. */
  storageClasses?: StorageClassSummary[];
  /** Why the StorageClasses are unknown. */
  storageClassesError?: string;
  /** The platform's mirror registry and pull secret (`clearml.images`), shown on the form's review. */
  images?: ImageSettings;
}

/**
 * Why a tenant cannot be created on the cluster (the charts refuse its
 * Kubernetes version and no override is configured), or undefined. The form
 * and the render actions say the same thing.
 *
 * @public
 */
export function clusterChartsRefusal(
  cluster: ClusterSummary,
): string | undefined {
  const refused = (cluster.charts ?? []).filter(c => c.accepts === false);
  if (!refused.length || cluster.kubeVersionOverride) return undefined;
  return (
    `Kubernetes ${cluster.kubernetesVersion} on ${cluster.name} is refused by chart ` +
    `${refused.map(c => `${c.chart} ${c.version} (kubeVersion ${c.kubeVersion})`).join(', ')}: ` +
    'choose another cluster, or ask the platform team for chart versions that accept it'
  );
}

/**
 * A StorageClass of a cluster, as the form lists it.
 *
 * @public
 */
export interface StorageClassSummary {
  name: string;
  provisioner: string;
  /** The class claims that name none get (annotation `storageclass.kubernetes.io/is-default-class: "true"`). */
  default: boolean;
  volumeBindingMode?: string;
  allowVolumeExpansion?: boolean;
}
