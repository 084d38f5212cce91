/**
 * The last step of retiring a tenant: once its retire pull request is merged and Argo CD has deleted its
 * Applications (the retire stage is `done`), its catalog entity is removed, by removing the location it was
 * registered from (the tenant's own catalog file, pinned to a commit) so no refresh brings it back. Runs on
 * Backstage's scheduler with the plugin's own credentials; only tenant entities (tenantAnchorOf) are touched.
 */
import type {
  AuthService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  CLEARML_TENANT_RESOURCE_TYPE,
  MANAGED_BY_LOCATION_ANNOTATION,
  tenantAnchorOf,
} from '@clearml-openshift/plugin-clearml-common';
import { TenantEntityHealth } from './TenantEntityHealth';

export interface RetiredTenantsOptions {
  catalog: CatalogService;
  auth: AuthService;
  /** The health check of a tenant entity, with the tenant rules (namespace guard) of the health API. */
  tenants: TenantEntityHealth;
  logger: LoggerService;
}

/** One sweep: the entity refs it removed. */
export async function removeRetiredTenants(
  options: RetiredTenantsOptions,
): Promise<string[]> {
  const { catalog, auth, tenants, logger } = options;
  const credentials = await auth.getOwnServiceCredentials();
  const { items } = await catalog.getEntities(
    {
      filter: { kind: 'Resource', 'spec.type': CLEARML_TENANT_RESOURCE_TYPE },
    },
    { credentials },
  );
  const sources = await tenants.anchorSources();
  const removed: string[] = [];
  for (const entity of items) {
    if (!('anchor' in tenantAnchorOf(entity, sources))) continue;
    const ref = stringifyEntityRef(entity);
    try {
      const health = await tenants.check(entity, sources);
      const retire = health.lifecycle?.stages.find(s => s.id === 'retire');
      if (retire?.state !== 'done') continue;
      const registeredFrom =
        entity.metadata.annotations?.[MANAGED_BY_LOCATION_ANNOTATION];
      const location = await catalog.getLocationByEntity(ref, { credentials });
      if (
        location &&
        `${location.type}:${location.target}` === registeredFrom
      ) {
        await catalog.removeLocationById(location.id, { credentials });
      } else if (entity.metadata.uid) {
        await catalog.removeEntityByUid(entity.metadata.uid, { credentials });
      }
      removed.push(ref);
      logger.info(
        `Retired tenant ${ref} removed from the catalog (${retire.summary})`,
      );
    } catch (error) {
      logger.warn(`Could not remove retired tenant ${ref}: ${error}`);
    }
  }
  return removed;
}

export const DEFAULT_RETIRED_SWEEP_SECONDS = 300;

/** Schedules the sweep on every `seconds` (one replica at a time: a global task). */
export async function scheduleRetiredTenantsSweep(
  scheduler: SchedulerService,
  seconds: number,
  options: RetiredTenantsOptions,
): Promise<void> {
  if (seconds <= 0) return;
  await scheduler.scheduleTask({
    id: 'clearml-retired-tenants',
    frequency: { seconds },
    timeout: { seconds: Math.max(60, seconds * 2) },
    initialDelay: { seconds: Math.min(seconds, 30) },
    scope: 'global',
    fn: async () => {
      await removeRetiredTenants(options);
    },
  });
}
