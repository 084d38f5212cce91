/**
 * "Check this entity", the one sequence both routes run (routes/router.ts for
 * one entity, routes/fleet.ts for the fleet): the catalog read with the
 * caller's credentials, `clearml.tenant.health.read` decided per entity, then
 * entity → target (only an entity registered from its tenant's own file is a
 * tenant) → configured cluster → the tenant namespace guard → the check.
 */
import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  CLEARML_ANNOTATIONS,
  CLEARML_TENANT_RESOURCE_TYPE,
  TenantAnchorSources,
  TenantHealth,
  clearmlTenantHealthReadPermission,
  tenantAnchorOf,
} from '@clearml-openshift/plugin-clearml-common';
import {
  ClearmlCluster,
  findClearmlCluster,
} from '@clearml-openshift/plugin-clearml-node';
import { TenantAnnotationsError, tenantHealthTarget } from './target';
import { TenantHealthChecker } from './TenantHealthChecker';
import { TenantNamespaceGuard } from './tenantNamespaceGuard';

export interface TenantEntityHealthOptions {
  catalog: CatalogService;
  permissions: PermissionsService;
  checker: TenantHealthChecker;
  clusters: readonly ClearmlCluster[];
  /** Refuses (422) namespaces that are not the entity's tenant's; see tenantNamespaceGuard.ts. */
  namespaceGuard?: TenantNamespaceGuard;
  /** Where tenant entities may come from (tenantAnchorOf): anything else is refused (422) and nothing is read. */
  anchorSources: () => Promise<TenantAnchorSources>;
}

export class TenantEntityHealth {
  constructor(private readonly options: TenantEntityHealthOptions) {}

  anchorSources(): Promise<TenantAnchorSources> {
    return this.options.anchorSources();
  }

  /** The entity as the caller sees it (404 when they cannot), if they may read its health (403 otherwise). */
  async readableEntity(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<Entity> {
    const entity = await this.options.catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity) throw new NotFoundError(`No entity ${entityRef} found`);
    const [decision] = await this.options.permissions.authorize(
      [
        {
          permission: clearmlTenantHealthReadPermission,
          resourceRef: entityRef,
        },
      ],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Not allowed to read the ClearML health of ${entityRef}`,
      );
    }
    return entity;
  }

  /**
   * The tenants the caller sees in the catalog and may read the health of (decided in one batch). Look-alikes
   * (another catalog namespace, another location) are not tenants: left out.
   */
  async readableTenants(credentials: BackstageCredentials): Promise<{
    entities: Entity[];
    sources: TenantAnchorSources;
  }> {
    const { items: listed } = await this.options.catalog.getEntities(
      {
        filter: { kind: 'Resource', 'spec.type': CLEARML_TENANT_RESOURCE_TYPE },
      },
      { credentials },
    );
    const sources = await this.anchorSources();
    const items = listed.filter(e => 'anchor' in tenantAnchorOf(e, sources));
    const decisions = items.length
      ? await this.options.permissions.authorize(
          items.map(e => ({
            permission: clearmlTenantHealthReadPermission,
            resourceRef: stringifyEntityRef(e),
          })),
          { credentials },
        )
      : [];
    return {
      entities: items.filter(
        (_, i) => decisions[i].result === AuthorizeResult.ALLOW,
      ),
      sources,
    };
  }

  /**
   * The entity's health (read and permission already decided): TenantAnnotationsError (422) when it cannot be
   * checked as a tenant, before anything of the tenant is read. `entityRef` names it in the report (as asked).
   */
  async check(
    entity: Entity,
    sources: TenantAnchorSources,
    entityRef: string = stringifyEntityRef(entity),
  ): Promise<TenantHealth> {
    const target = tenantHealthTarget(entity, sources);
    const cluster = findClearmlCluster(this.options.clusters, target.cluster);
    if (!cluster) {
      throw new TenantAnnotationsError(
        `Entity cannot be checked as a ClearML tenant: ${CLEARML_ANNOTATIONS.cluster} names '${target.cluster}', which is not a configured cluster`,
      );
    }
    await this.options.namespaceGuard?.(entity, cluster, target);
    return this.options.checker.check(entityRef, target);
  }
}
