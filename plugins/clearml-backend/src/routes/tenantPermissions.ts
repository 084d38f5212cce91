/**
 * The `catalog-entity` resource type as the clearml plugin's permission integration knows it, so that a conditional
 * decision for `clearml.tenant.health.read` (Developer Hub's RBAC: `pluginId: clearml`, `resourceType:
 * catalog-entity`) can be applied here: the permission backend asks this plugin's
 * `/.well-known/backstage/permissions/apply-conditions`, which loads the entities from the catalog and applies the rule.
 */
import type {
  AuthService,
  PermissionsRegistryService,
} from '@backstage/backend-plugin-api';
import { Entity, RELATION_OWNED_BY } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { clearmlPermissions } from '@clearml-openshift/plugin-clearml-common';
import { createPermissionRule } from '@backstage/plugin-permission-node';
// zod's v3 API: the params schema is read by the host's permission-node, which before 0.11 knows zod 3 only.
import { z } from 'zod/v3';

const RESOURCE_TYPE = 'catalog-entity';

/** A catalog filter the rule can be turned into (the shape the catalog's own rules use). */
type EntityFilter = { key: string; values: string[] };

/**
 * `IS_ENTITY_OWNER`, as the catalog's rule of that name: the entity is owned by one of `claims` (in RBAC policies,
 * `claims: ['$ownerRefs']`, the user and the groups they are in).
 */
export const isEntityOwnerRule = createPermissionRule<
  Entity,
  EntityFilter,
  typeof RESOURCE_TYPE,
  { claims: string[] }
>({
  name: 'IS_ENTITY_OWNER',
  description: 'Allow entities owned by a specified claim',
  resourceType: RESOURCE_TYPE,
  paramsSchema: z.object({
    claims: z
      .array(z.string())
      .describe(
        'List of claims to match at least one on within ownedBy (e.g. $ownerRefs)',
      ),
  }),
  apply: (entity, { claims }) =>
    (entity.relations ?? []).some(
      relation =>
        relation.type === RELATION_OWNED_BY &&
        claims.includes(relation.targetRef),
    ),
  toQuery: ({ claims }) => ({ key: 'relations.ownedBy', values: claims }),
});

/** Registers the plugin's permissions with the resource type and its rule. */
export function registerTenantPermissions(options: {
  permissionsRegistry: PermissionsRegistryService;
  catalog: CatalogService;
  auth: AuthService;
}) {
  const { permissionsRegistry, catalog, auth } = options;
  // The reference is spelled out rather than made with permission-node's createPermissionResourceRef, which the
  // host's permission-node may predate; registries that read `resourceRef` and ones that read `resourceType` both
  // find theirs.
  (permissionsRegistry.addResourceType as (options: unknown) => void)({
    resourceType: RESOURCE_TYPE,
    resourceRef: { pluginId: 'clearml', resourceType: RESOURCE_TYPE },
    permissions: clearmlPermissions,
    rules: [isEntityOwnerRule],
    async getResources(resourceRefs: string[]) {
      const { items } = await catalog.getEntitiesByRefs(
        { entityRefs: resourceRefs },
        { credentials: await auth.getOwnServiceCredentials() },
      );
      return items.map(entity => entity ?? undefined);
    },
  });
}
