/**
 * What a tenant's health check looks at, read from its catalog entity's
 * annotations (docs/architecture.md#catalog-entity-of-a-tenant).
 */
import { Entity } from '@backstage/catalog-model';
import {
  branchNameProblem,
  CLEARML_ANNOTATIONS,
  Edition,
  EDITIONS,
  REQUIRED_CLEARML_ANNOTATIONS,
  isDns1123Label,
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
  const annotations = entity.metadata.annotations ?? {};
  const problems: string[] = [];
  const missing = REQUIRED_CLEARML_ANNOTATIONS.filter(key => !annotations[key]);
  if (missing.length) problems.push(`missing ${missing.join(', ')}`);

  const label = (key: string) => {
    const value = annotations[key];
    if (value && !isDns1123Label(value))
      problems.push(
        `${key} must be a DNS-1123 label (got ${JSON.stringify(value)})`,
      );
    return value ?? '';
  };
  const cluster = annotations[CLEARML_ANNOTATIONS.cluster] ?? '';
  const namespace = label(CLEARML_ANNOTATIONS.namespace);
  const release = label(CLEARML_ANNOTATIONS.release);
  const edition = annotations[CLEARML_ANNOTATIONS.edition];
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

  const gitopsBranch = annotations[CLEARML_ANNOTATIONS.gitopsBranch];
  const branchProblem =
    gitopsBranch !== undefined ? branchNameProblem(gitopsBranch) : undefined;
  if (branchProblem) {
    problems.push(
      `${CLEARML_ANNOTATIONS.gitopsBranch} ${branchProblem} (got ${JSON.stringify(gitopsBranch)}); it names a branch under refs/heads/`,
    );
  }

  if (problems.length) {
    throw new TenantAnnotationsError(
      `Entity cannot be checked as a ClearML tenant: ${problems.join('; ')}`,
    );
  }
  return {
    cluster,
    namespace,
    release,
    edition: edition as Edition,
    ...(gatewayNamespace
      ? { appGateway: { namespace: gatewayNamespace, release: gatewayRelease } }
      : {}),
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
