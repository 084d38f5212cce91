/**
 * What the GitOps files tell Argo CD, as the pull-request description states it.
 *
 * @public
 */
export interface GitopsDeploymentSummary {
  /** `applications`: the pull request holds the Applications; `plain`: the platform team's ApplicationSet deploys the files. */
  render: 'applications' | 'plain';
  /** Namespace of the Argo CD instance. */
  argocdNamespace: string;
  /** One per Helm release, in sync order. */
  releases: Array<{
    application?: string;
    release: string;
    chart: string;
    version: string;
  }>;
  /** The cluster's Kubernetes version, as read when the files were rendered. */
  kubernetesVersion?: string;
  /** `helm.kubeVersion` set on the Applications because a chart refuses the cluster's version. */
  kubeVersionOverride?: string;
  /** SCC RoleBindings the pull request holds (`system:openshift:scc:<scc>`). */
  grantBindings: string[];
  /** How the tenant's credentials Secret reaches the cluster, and its name. */
  credentials?: {
    delivery: 'externalSecrets' | 'direct';
    secret: string;
  };
}
