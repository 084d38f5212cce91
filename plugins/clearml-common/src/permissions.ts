import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Reading a tenant's health: a catalog-entity resource permission, so policies can decide per entity.
 *
 * @public
 */
export const clearmlTenantHealthReadPermission = createPermission({
  name: 'clearml.tenant.health.read',
  attributes: { action: 'read' },
  resourceType: 'catalog-entity',
});

/**
 * Naming any existing User or Group as a new tenant's owner, not only oneself or one's own groups: a basic
 * permission a platform's policy may allow (for the platform team, say). Asked only when the permission
 * framework is enabled.
 *
 * @public
 */
export const clearmlTenantOwnerAnyPermission = createPermission({
  name: 'clearml.tenant.owner.any',
  attributes: { action: 'create' },
});

/**
 * Changing or retiring a tenant one does not own: a catalog-entity resource permission, asked only when the
 * runner is neither the tenant's owner nor a member of the owning group, and only when the permission framework is
 * enabled. A platform's policy allows it for the platform group.
 *
 * @public
 */
export const clearmlTenantManagePermission = createPermission({
  name: 'clearml.tenant.manage',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

/**
 * Upgrading the fleet's charts (`clearml:fleet:upgrade`): opening upgrade pull requests for tenants of every team. A
 * basic permission for the platform group: with the permission framework enabled the policy decides it; without it,
 * the runner must be a member of `clearml.fleet.platformGroup`. Tenant owners do not get it by owning a tenant.
 *
 * @public
 */
export const clearmlFleetUpgradePermission = createPermission({
  name: 'clearml.fleet.upgrade',
  attributes: { action: 'update' },
});

/** @public */
export const clearmlPermissions = [
  clearmlTenantHealthReadPermission,
  clearmlTenantOwnerAnyPermission,
  clearmlTenantManagePermission,
  clearmlFleetUpgradePermission,
];
