/**
 * Which tenants an upgrade run looks at: the entity references the platform named (each must be a tenant by the
 * tenant identity rule, or the run is refused naming `tenants`), or every tenant entity of the catalog (those that are
 * not anchored tenants are reported and left alone). In entity-reference order, so that batches of later runs
 * continue where earlier ones stopped.
 */
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { CLEARML_TENANT_RESOURCE_TYPE } from '@clearml-openshift/plugin-clearml-common';
import { TenantCatalogAccess } from '../catalog/tenantCatalog';
import { TenantOfEntity, tenantOfEntity } from './tenantOfEntity';

/** More tenants than this in one `tenants` input is refused (the fleet mode has no limit). */
export const MAX_NAMED_TENANTS = 500;

/** @public */
export interface UpgradeSkip {
  entityRef: string;
  reason: string;
}

export interface UpgradeCandidates {
  tenants: TenantOfEntity[];
  /** True when the platform named the tenants (then every refusal refuses the run). */
  named: boolean;
  /** Catalog entities of the tenant type that are not anchored tenants (fleet mode only). */
  skipped: UpgradeSkip[];
}

const byRef = (a: TenantOfEntity, b: TenantOfEntity) =>
  Number(a.entityRef > b.entityRef) - Number(a.entityRef < b.entityRef);

export async function upgradeCandidates(
  access: TenantCatalogAccess,
  tenants: unknown,
): Promise<UpgradeCandidates> {
  if (
    tenants !== undefined &&
    !(Array.isArray(tenants) && tenants.length === 0)
  ) {
    if (
      !Array.isArray(tenants) ||
      tenants.length > MAX_NAMED_TENANTS ||
      tenants.some(t => typeof t !== 'string')
    ) {
      throw new InputError(
        `tenants: must be a list of at most ${MAX_NAMED_TENANTS} catalog entity references such as resource:default/<tenant>, ` +
          'or empty for every tenant whose chart versions differ from clearml.charts',
      );
    }
    const found = new Map<string, TenantOfEntity>();
    for (const [i, ref] of tenants.entries()) {
      try {
        const tenant = await tenantOfEntity(access, ref);
        found.set(tenant.entityRef, tenant);
      } catch (error) {
        if (error instanceof InputError)
          throw new InputError(
            error.message.replace(/^entityRef:/, `tenants[${i}]:`),
          );
        throw error;
      }
    }
    return {
      tenants: [...found.values()].sort(byRef),
      named: true,
      skipped: [],
    };
  }
  const { items } = await access.catalog.getEntities(
    { filter: { kind: 'Resource', 'spec.type': CLEARML_TENANT_RESOURCE_TYPE } },
    { credentials: await access.auth.getOwnServiceCredentials() },
  );
  const found: TenantOfEntity[] = [];
  const skipped: UpgradeSkip[] = [];
  for (const entity of items) {
    const entityRef = stringifyEntityRef(entity);
    try {
      found.push(await tenantOfEntity(access, entityRef));
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      skipped.push({
        entityRef,
        reason: error.message.replace(/^entityRef: /, ''),
      });
    }
  }
  return { tenants: found.sort(byRef), named: false, skipped };
}
