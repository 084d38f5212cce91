/**
 * Catalog annotations that tie a `clearml-tenant` Resource to its cluster objects.
 *
 * @public
 */

export const CLEARML_ANNOTATIONS = {
  cluster: 'clear.ml/cluster',
  namespace: 'clear.ml/namespace',
  release: 'clear.ml/release',
  edition: 'clear.ml/edition',
  appGatewayNamespace: 'clear.ml/app-gateway-namespace',
  appGatewayRelease: 'clear.ml/app-gateway-release',
  /** The GitOps repository the tenant's pull request went to, as RepoUrlPicker writes it: `github.com?owner=o&repo=r`. */
  gitopsRepo: 'clear.ml/gitops-repo',
  /** The branch of that pull request (`clearml/<tenant>`). */
  gitopsBranch: 'clear.ml/gitops-branch',
} as const;

/**
 * The annotations without which a tenant's health cannot be read.
 *
 * @public
 */
export const REQUIRED_CLEARML_ANNOTATIONS = [
  CLEARML_ANNOTATIONS.cluster,
  CLEARML_ANNOTATIONS.namespace,
  CLEARML_ANNOTATIONS.release,
  CLEARML_ANNOTATIONS.edition,
] as const;

/**
 * The standard kubernetes plugin's annotations, set as well so it shows the same tenant.
 *
 * @public
 */
export const KUBERNETES_ANNOTATIONS = {
  namespace: 'backstage.io/kubernetes-namespace',
  id: 'backstage.io/kubernetes-id',
} as const;

/**
 * `spec.type` of a tenant's catalog Resource.
 *
 * @public
 */
export const CLEARML_TENANT_RESOURCE_TYPE = 'clearml-tenant';

/**
 * The annotations a tenant's catalog entity carries, in one place for the template skeleton and tests.
 *
 * @public
 */
export function tenantEntityAnnotations(options: {
  cluster: string;
  namespace: string;
  release: string;
  edition: string;
  tenant: string;
  appGateway?: { namespace: string; release: string };
  /** Where the tenant's pull request is, so its health card can follow it from review to running. */
  gitops?: { repoUrl: string; branch: string };
}): Record<string, string> {
  return {
    [CLEARML_ANNOTATIONS.cluster]: options.cluster,
    [CLEARML_ANNOTATIONS.namespace]: options.namespace,
    [CLEARML_ANNOTATIONS.release]: options.release,
    [CLEARML_ANNOTATIONS.edition]: options.edition,
    ...(options.appGateway
      ? {
          [CLEARML_ANNOTATIONS.appGatewayNamespace]:
            options.appGateway.namespace,
          [CLEARML_ANNOTATIONS.appGatewayRelease]: options.appGateway.release,
        }
      : {}),
    ...(options.gitops
      ? {
          [CLEARML_ANNOTATIONS.gitopsRepo]: options.gitops.repoUrl,
          [CLEARML_ANNOTATIONS.gitopsBranch]: options.gitops.branch,
        }
      : {}),
    [KUBERNETES_ANNOTATIONS.namespace]: options.namespace,
    [KUBERNETES_ANNOTATIONS.id]: options.tenant,
  };
}
