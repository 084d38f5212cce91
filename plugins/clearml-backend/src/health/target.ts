/**
 * What a tenant's health check looks at, read from its catalog entity's
 * annotations (docs/architecture.md#catalog-entity-of-a-tenant).
 */
import { Entity } from '@backstage/catalog-model';
import {
  CLEARML_ANNOTATIONS,
  parseTenantEntityAnnotations,
  repoPickerUrl,
  TenantAnchorSources,
  tenantAnchorOf,
  tenantBranchName,
} from '@clearml-openshift/plugin-clearml-common';
import type { HealthTarget } from '../target/healthTarget';

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
