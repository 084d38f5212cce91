/**
 * What a tenant's health check looks at, read from its catalog entity's
 * annotations (docs/architecture.md#catalog-entity-of-a-tenant).
 */
import { Entity } from '@backstage/catalog-model';
import {
  CLEARML_ANNOTATIONS,
  Edition,
  parseTenantEntityAnnotations,
  repoPickerUrl,
  TenantAnchorSources,
  tenantAnchorOf,
  tenantBranchName,
} from '@clearml-openshift/plugin-clearml-common';

export interface HealthTarget {
  cluster: string;
  namespace: string;
  release: string;
  edition: Edition;
  /** Present when the entity says an app gateway is deployed. */
  appGateway?: { namespace: string; release: string };
  /** The entity's name: the tenant its Namespace and Argo CD Applications are labelled with (clear.ml/tenant). */
  tenant?: string;
  /**
   * Where the tenant's pull request is: the repository of the file the entity was registered from (its anchor),
   * and the tenant's branch. Never from the free clear.ml/gitops-repo annotation.
   */
  gitops?: { repoUrl: string; branch: string };
}

/** The entity cannot be checked: its annotations are missing or malformed (HTTP 422). */
export class TenantAnnotationsError extends Error {
  name = 'UnprocessableEntityError';
}

/**
 * Reads the health target from an entity, listing every missing or malformed
 * annotation at once so the owner fixes them in one go.
 */
export function healthTargetFromEntity(entity: Entity): HealthTarget {
  const parsed = parseTenantEntityAnnotations(entity.metadata.annotations);
  if ('problems' in parsed) {
    throw new TenantAnnotationsError(
      `Entity cannot be checked as a ClearML tenant: ${parsed.problems.join('; ')}`,
    );
  }
  const { cluster, namespace, release, edition, appGateway } = parsed.values;
  return {
    cluster,
    namespace,
    release,
    edition,
    ...(appGateway ? { appGateway } : {}),
    tenant: entity.metadata.name,
  };
}

/**
 * The health target of an entity that is a tenant (tenantAnchorOf): refused (422) with the reason otherwise, before
 * anything is read. The pull request is looked for in the repository the entity's file is in, on the branch the
 * entity names (a ref under refs/heads/) or the tenant's default branch.
 */
export function tenantHealthTarget(
  entity: Entity,
  sources: TenantAnchorSources,
): HealthTarget {
  const anchored = tenantAnchorOf(entity, sources);
  if ('problem' in anchored) {
    throw new TenantAnnotationsError(
      `Entity cannot be checked as a ClearML tenant: ${anchored.problem}`,
    );
  }
  const target = healthTargetFromEntity(entity);
  const { tenant, repository } = anchored.anchor;
  return {
    ...target,
    gitops: {
      repoUrl: repoPickerUrl(repository),
      branch:
        entity.metadata.annotations?.[CLEARML_ANNOTATIONS.gitopsBranch] ??
        tenantBranchName(tenant),
    },
  };
}

/** The namespaces a check lists objects in (one round of list calls each). */
export function targetNamespaces(target: HealthTarget): string[] {
  const namespaces = [target.namespace];
  if (target.appGateway && target.appGateway.namespace !== target.namespace)
    namespaces.push(target.appGateway.namespace);
  return namespaces;
}
