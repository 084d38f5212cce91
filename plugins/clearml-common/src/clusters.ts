/** A configured cluster as the clearml backend describes it to the frontend (`GET /api/clearml/v1/clusters`). */
export interface ClusterSummary {
  /** The name templates and the `clear.ml/cluster` annotation use. */
  name: string;
  /** The cluster's apps domain; the default tenant domain is `<tenant>.clearml.<appsDomain>` (`defaultTenantDomain`). */
  appsDomain?: string;
  /** Whether a grant credential is configured, so `clearml:scc:grant` can apply SCC grants there. */
  canGrant: boolean;
}
