/**
 * The tenant entity's annotations, written (`tenantEntityAnnotations`) and
 * read back (`parseTenantEntityAnnotations`) beside each other, so the
 * renderer of catalog-info.yaml and the health backend share one contract.
 */
import { isDns1123Label } from './dns';
import { Edition, EDITIONS } from './editions';
import { branchNameProblem } from './gitRefs';

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

/**
 * What a tenant entity's annotations say, read back by
 * {@link parseTenantEntityAnnotations}. The free `clear.ml/gitops-repo`
 * annotation is not part of it: where a tenant's pull request is comes from
 * the file the entity was registered from, never from text its owner can edit.
 *
 * @public
 */
export interface TenantEntityAnnotationValues {
  cluster: string;
  namespace: string;
  release: string;
  edition: Edition;
  /** Present when the entity says an app gateway is deployed. */
  appGateway?: { namespace: string; release: string };
  /** `clear.ml/gitops-branch` when set: a branch name under refs/heads/. */
  gitopsBranch?: string;
}

/**
 * Reads a tenant entity's annotations: the values, or every missing or
 * malformed annotation at once (`<annotation> must …`) so the owner fixes
 * them in one go.
 *
 * @public
 */
export function parseTenantEntityAnnotations(
  annotations: Readonly<Record<string, string>> | undefined,
): { values: TenantEntityAnnotationValues } | { problems: string[] } {
  const given = annotations ?? {};
  const problems: string[] = [];
  const missing = REQUIRED_CLEARML_ANNOTATIONS.filter(key => !given[key]);
  if (missing.length) problems.push(`missing ${missing.join(', ')}`);

  const label = (key: string) => {
    const value = given[key];
    if (value && !isDns1123Label(value))
      problems.push(
        `${key} must be a DNS-1123 label (got ${JSON.stringify(value)})`,
      );
    return value ?? '';
  };
  const cluster = given[CLEARML_ANNOTATIONS.cluster] ?? '';
  const namespace = label(CLEARML_ANNOTATIONS.namespace);
  const release = label(CLEARML_ANNOTATIONS.release);
  const edition = given[CLEARML_ANNOTATIONS.edition];
  if (edition && !(EDITIONS as readonly string[]).includes(edition)) {
    problems.push(
      `${CLEARML_ANNOTATIONS.edition} must be one of ${EDITIONS.join(', ')} (got ${JSON.stringify(edition)})`,
    );
  }
  const gatewayNamespace = label(CLEARML_ANNOTATIONS.appGatewayNamespace);
  const gatewayRelease = label(CLEARML_ANNOTATIONS.appGatewayRelease);
  if (Boolean(gatewayNamespace) !== Boolean(gatewayRelease)) {
    problems.push(
      `${CLEARML_ANNOTATIONS.appGatewayNamespace} and ${CLEARML_ANNOTATIONS.appGatewayRelease} must be set together`,
    );
  }

  const gitopsBranch = given[CLEARML_ANNOTATIONS.gitopsBranch];
  const branchProblem =
    gitopsBranch !== undefined ? branchNameProblem(gitopsBranch) : undefined;
  if (branchProblem) {
    problems.push(
      `${CLEARML_ANNOTATIONS.gitopsBranch} ${branchProblem} (got ${JSON.stringify(gitopsBranch)}); it names a branch under refs/heads/`,
    );
  }

  if (problems.length) return { problems };
  return {
    values: {
      cluster,
      namespace,
      release,
      edition: edition as Edition,
      ...(gatewayNamespace
        ? {
            appGateway: {
              namespace: gatewayNamespace,
              release: gatewayRelease,
            },
          }
        : {}),
      ...(gitopsBranch !== undefined ? { gitopsBranch } : {}),
    },
  };
}
