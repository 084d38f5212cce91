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

/** @public */
export const clearmlPermissions = [
  clearmlTenantHealthReadPermission,
  clearmlTenantOwnerAnyPermission,
];
