/**
 * Argo CD (OpenShift GitOps) names a tenant's GitOps files use: the
 * Applications per release, the sync waves that order what one Application
 * applies, and the tenant's directory in the GitOps repository. The renderers
 * and the health backend read them from here.
 */
import { ChartRole } from './charts';
import { tenantDirectory } from './tenantAnchor';

/**
 * The namespace OpenShift GitOps runs its default Argo CD instance in (`clearml.gitops.argocd.namespace`).
 *
 * @public
 */
export const DEFAULT_ARGOCD_NAMESPACE = 'openshift-gitops';

/**
 * The Argo CD project Applications belong to unless `clearml.gitops.argocd.project` says otherwise.
 *
 * @public
 */
export const DEFAULT_ARGOCD_PROJECT = 'default';

/** @public */
export const ARGOCD_SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';

/**
 * Sync waves inside the server Application: the namespace first, then the SCC
 * grants and the isolation (NetworkPolicies, quota) (pods are admitted only once their account holds its SCC), then the
 * chart's objects (wave 0, unannotated), then the Routes to its Services.
 *
 * @public
 */
export const SYNC_WAVES = {
  namespace: -2,
  grants: -1,
  /** NetworkPolicies, ResourceQuota and LimitRange: in place before the first pod of the chart. */
  isolation: -1,
  /** The tenant's credentials Secret (its ExternalSecret and Password generator): before the chart's pods read it. */
  credentials: -1,
  chart: 0,
  routes: 1,
} as const;

/**
 * Waves of the Applications themselves in the tenants' app-of-apps: the server
 * release (which also creates the namespace and the grants) before the agent
 * and app gateway releases.
 *
 * @public
 */
export const APPLICATION_SYNC_WAVES: Record<ChartRole, number> = {
  server: 0,
  agent: 1,
  appGateway: 1,
};

const ROLE_SUFFIX: Record<ChartRole, string> = {
  server: 'server',
  agent: 'agent',
  appGateway: 'app-gateway',
};

/**
 * Name of a tenant's Application for one release: `clearml-<tenant>-<role>`
 * (at most 60 characters for a 40-character tenant). No role suffix is the
 * `-`-suffix of another, so two tenants never share a name.
 *
 * @public
 */
export function argocdApplicationName(tenant: string, role: ChartRole): string {
  return `clearml-${tenant}-${ROLE_SUFFIX[role]}`;
}

/**
 * The tenant's directory in the GitOps repository (the pull request's default target path): the one rule of
 * {@link tenantDirectory}, under the name the Argo CD files use.
 *
 * @public
 */
export function tenantGitopsPath(tenant: string): string {
  return tenantDirectory(tenant);
}
