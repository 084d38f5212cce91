/**
 * Tenant entities in tests are registered where the product registers them
 * (tenantAnchorOf): from `tenants/<tenant>/catalog-info.yaml` of the
 * configured GitOps repository, at a commit.
 */
import { Entity } from '@backstage/catalog-model';
import {
  LOCAL_GIT_ROUTE,
  MANAGED_BY_LOCATION_ANNOTATION,
} from '@clearml-openshift/plugin-clearml-common';

export const ANCHOR_GITHUB_HOST = 'github.com';
/** `clearml.gitops.repositories` of the tests' config. */
export const ANCHOR_REPOSITORIES = ['github.com?owner=platform&repo=gitops'];
const COMMIT = 'c0ffee0000000000000000000000000000000001';

/** The location the pull-request action registers a tenant's file from on GitHub. */
export function githubTenantLocation(
  tenant: string,
  repo = { owner: 'platform', repo: 'gitops' },
): string {
  return `url:https://${ANCHOR_GITHUB_HOST}/${repo.owner}/${repo.repo}/blob/${COMMIT}/tenants/${tenant}/catalog-info.yaml`;
}

/** The location of a local target's tenant file, through the clearml backend's local-git route. */
export function localTenantLocation(
  clearmlBaseUrl: string,
  tenant: string,
  host = 'git.local',
): string {
  return `url:${clearmlBaseUrl}${LOCAL_GIT_ROUTE}/${host}/platform/gitops/${COMMIT}/tenants/${tenant}/catalog-info.yaml`;
}

/** The entity as the catalog holds it after registering it from `location` (default: its GitHub file). */
export function anchored(entity: Entity, location?: string): Entity {
  const where = location ?? githubTenantLocation(entity.metadata.name);
  return {
    ...entity,
    metadata: {
      ...entity.metadata,
      annotations: {
        ...entity.metadata.annotations,
        [MANAGED_BY_LOCATION_ANNOTATION]: where,
        'backstage.io/managed-by-origin-location': where,
      },
    },
  };
}
