/**
 * What the catalog says before a tenant is written: whether its entity ref is
 * already taken by an entity from somewhere else (squatting), and whether the
 * owner a user names exists and is theirs. Read with the scaffolder's own
 * service credentials, so an entity the user may not see still counts.
 */
import type {
  AuthService,
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { ConflictError, InputError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  clearmlTenantOwnerAnyPermission,
  GitopsRepository,
  MANAGED_BY_LOCATION_ANNOTATION,
  TenantAnchorSources,
  tenantAnchorOf,
  tenantEntityRef,
} from '@clearml-openshift/plugin-clearml-common';

/** @public */
export interface TenantCatalogAccess {
  catalog: CatalogService;
  auth: AuthService;
  /** Where tenants may come from (clearml.gitops.repositories, local targets, the clearml backend's URL). */
  anchorSources: () => Promise<TenantAnchorSources>;
  /** Set only when the permission framework is enabled: a policy may then allow any owner. */
  permissions?: PermissionsService;
}

const sameRepository = (a: GitopsRepository, b: GitopsRepository) =>
  a.host.toLowerCase() === b.host.toLowerCase() &&
  a.owner.toLowerCase() === b.owner.toLowerCase() &&
  a.repo.toLowerCase() === b.repo.toLowerCase();

/**
 * Refuses a tenant whose entity ref `resource:default/<tenant>` is already in the catalog from anywhere but this
 * tenant's own file in `repository` (an earlier run of the same tenant), naming where it comes from and its owner.
 */
export async function refuseSquattedTenant(
  access: TenantCatalogAccess,
  tenant: string,
  repository: GitopsRepository,
): Promise<void> {
  const ref = tenantEntityRef(tenant);
  const existing = await access.catalog.getEntityByRef(ref, {
    credentials: await access.auth.getOwnServiceCredentials(),
  });
  if (!existing) return;
  const anchored = tenantAnchorOf(existing, await access.anchorSources());
  if (
    'anchor' in anchored &&
    sameRepository(anchored.anchor.repository, repository)
  )
    return;
  const location =
    existing.metadata.annotations?.[MANAGED_BY_LOCATION_ANNOTATION] ??
    'an unknown location';
  const owner =
    typeof existing.spec?.owner === 'string' ? existing.spec.owner : 'nobody';
  throw new ConflictError(
    `tenant: ${ref} already exists in the catalog, registered from ${location} and owned by ${owner}; ` +
      `it is not tenant ${tenant}'s own file in ${repository.host}/${repository.owner}/${repository.repo}, so the ` +
      'new tenant could never be registered. Nothing was written. Choose another tenant name, or ask the platform ' +
      'team to remove that entity',
  );
}

function memberOf(user: Entity | undefined): string[] {
  const fromRelations = (user?.relations ?? [])
    .filter(r => r.type === 'memberOf')
    .map(r => r.targetRef);
  return fromRelations;
}

/**
 * The owner must be a User or Group in the catalog, and the person running the template or a group they belong
 * to, unless the platform's permission policy allows `clearml.tenant.owner.any` for them.
 */
export async function checkTenantOwner(
  access: TenantCatalogAccess,
  owner: string,
  user: { ref?: string; entity?: Entity } | undefined,
  initiator: () => Promise<BackstageCredentials>,
): Promise<void> {
  let ownerRef: string;
  try {
    ownerRef = stringifyEntityRef(parseEntityRef(owner));
  } catch {
    throw new InputError(
      `owner: ${JSON.stringify(owner)} is not an entity reference`,
    );
  }
  const entity = await access.catalog.getEntityByRef(ownerRef, {
    credentials: await access.auth.getOwnServiceCredentials(),
  });
  const kind = entity?.kind.toLowerCase();
  if (!entity || (kind !== 'user' && kind !== 'group')) {
    throw new InputError(
      `owner: ${owner} is not a User or Group in the catalog${entity ? ` (it is a ${entity.kind})` : ''}`,
    );
  }
  if (
    user?.ref &&
    (user.ref === owner || memberOf(user.entity).includes(owner))
  )
    return;
  if (access.permissions) {
    const [decision] = await access.permissions.authorize(
      [{ permission: clearmlTenantOwnerAnyPermission }],
      { credentials: await initiator() },
    );
    if (decision.result === AuthorizeResult.ALLOW) return;
  }
  throw new InputError(
    `owner: must be you (${user?.ref ?? 'unknown user'}) or a group you belong to` +
      `${memberOf(user?.entity).length ? ` (${memberOf(user?.entity).join(', ')})` : ''}; ` +
      `${owner} is neither. A permission policy can allow more (clearml.tenant.owner.any)`,
  );
}
