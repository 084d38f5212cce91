/**
 * Who may change or retire a tenant: its owner (the runner, or a group the runner is a member of), or whoever the
 * platform's permission policy allows `clearml.tenant.manage` on the tenant's entity (the platform group). The
 * policy is asked only when the permission framework is enabled and the runner is not the owner.
 */
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { clearmlTenantManagePermission } from '@clearml-openshift/plugin-clearml-common';
import { TenantCatalogAccess } from '../catalog/tenantCatalog';
import { TenantOfEntity } from './tenantOfEntity';

function memberOf(user: Entity | undefined): string[] {
  return (user?.relations ?? [])
    .filter(r => r.type === 'memberOf')
    .map(r => r.targetRef);
}

export async function checkTenantManager(
  access: TenantCatalogAccess,
  tenant: TenantOfEntity,
  user: { ref?: string; entity?: Entity } | undefined,
  initiator: () => Promise<BackstageCredentials>,
  what: string,
): Promise<void> {
  const owner = tenant.owner;
  if (
    owner &&
    user?.ref &&
    (user.ref === owner || memberOf(user.entity).includes(owner))
  )
    return;
  if (access.permissions) {
    const [decision] = await access.permissions.authorize(
      [
        {
          permission: clearmlTenantManagePermission,
          resourceRef: tenant.entityRef,
        },
      ],
      { credentials: await initiator() },
    );
    if (decision.result === AuthorizeResult.ALLOW) return;
  }
  throw new NotAllowedError(
    `entityRef: only the owner of ${tenant.entityRef} (${owner ?? 'none set'}) or the platform team may ${what} it; ` +
      `${user?.ref ?? 'this user'} is neither, and nothing was written. A permission policy can allow more ` +
      `(${clearmlTenantManagePermission.name})`,
  );
}
