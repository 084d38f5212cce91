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

/** @public */
export const clearmlPermissions = [clearmlTenantHealthReadPermission];
