/**
 * The catalog rule for tenants (docs/security.md#catalog-rules): an entity of
 * kind Resource and type `clearml-tenant` is accepted only from a tenant's own
 * file in a configured GitOps repository (tenantAnchorOf, the same rule the
 * health and fleet APIs apply). Backstage's `catalog.rules` allow kinds per
 * location but cannot say "this type only from these paths", hence a
 * processor. A look-alike from anywhere else keeps its name but loses the
 * type: it enters the catalog as `clearml-tenant-refused` with the reason in
 * an annotation. It is not dropped, because the catalog would still hold its
 * entity ref (conflict detection runs before processing) and silently block
 * the real tenant; visible, the pull-request preflight names it and its owner.
 */
import { Entity } from '@backstage/catalog-model';
import type { CatalogProcessor } from '@backstage/plugin-catalog-node';
import {
  CLEARML_TENANT_RESOURCE_TYPE,
  MANAGED_BY_LOCATION_ANNOTATION,
  TenantAnchorSources,
  tenantAnchorOf,
} from '@clearml-openshift/plugin-clearml-common';

/**
 * `spec.type` of a `clearml-tenant` Resource from anywhere but a tenant's own file.
 *
 * @public
 */
export const REFUSED_TENANT_TYPE = 'clearml-tenant-refused';

/**
 * Why the catalog refused an entity's claim to be a tenant.
 *
 * @public
 */
export const REFUSED_TENANT_ANNOTATION = 'clear.ml/refused-tenant';

/** @public */
export class ClearmlTenantEntityProcessor implements CatalogProcessor {
  constructor(private readonly sources: () => Promise<TenantAnchorSources>) {}

  getProcessorName(): string {
    return 'ClearmlTenantEntityProcessor';
  }

  async preProcessEntity(
    entity: Entity,
    location: { type: string; target: string },
  ): Promise<Entity> {
    const claimsTenant =
      entity.kind?.toLowerCase() === 'resource' &&
      entity.spec?.type === CLEARML_TENANT_RESOURCE_TYPE;
    if (!claimsTenant) return entity;
    const where = `${location.type}:${location.target}`;
    const result = tenantAnchorOf(
      {
        ...entity,
        metadata: {
          ...entity.metadata,
          annotations: {
            ...entity.metadata.annotations,
            [MANAGED_BY_LOCATION_ANNOTATION]: where,
          },
        },
      },
      await this.sources(),
    );
    if ('anchor' in result) return entity;
    return {
      ...entity,
      metadata: {
        ...entity.metadata,
        annotations: {
          ...entity.metadata.annotations,
          [REFUSED_TENANT_ANNOTATION]: `not a ClearML tenant: ${result.problem}`,
        },
      },
      spec: { ...entity.spec, type: REFUSED_TENANT_TYPE },
    };
  }
}
