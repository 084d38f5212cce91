/**
 * The tenant a day-2 task works on, from its catalog entity only: the entity must be a tenant by the tenant
 * identity rule (`tenantAnchorOf`: registered from its own file in a configured GitOps repository), and the
 * repository, cluster, namespace and branch come from that entity, never from a form field.
 */
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  CLEARML_ANNOTATIONS,
  TenantAnchor,
  tenantAnchorOf,
  tenantBranchName,
} from '@clearml-openshift/plugin-clearml-common';
import { TenantCatalogAccess } from '../catalog/tenantCatalog';

export interface TenantOfEntity {
  entity: Entity;
  entityRef: string;
  tenant: string;
  anchor: TenantAnchor;
  cluster: string;
  namespace: string;
  /** The branch of the tenant's create (and change) pull requests. */
  branch: string;
  /** `spec.owner` as a full entity reference. */
  owner?: string;
}

export async function tenantOfEntity(
  access: TenantCatalogAccess,
  entityRef: unknown,
): Promise<TenantOfEntity> {
  let ref: string;
  try {
    if (typeof entityRef !== 'string') throw new Error();
    ref = stringifyEntityRef(
      parseEntityRef(entityRef, {
        defaultKind: 'resource',
        defaultNamespace: 'default',
      }),
    );
  } catch {
    throw new InputError(
      `entityRef: must be a catalog entity reference such as resource:default/<tenant> (got ${JSON.stringify(entityRef)})`,
    );
  }
  const entity = await access.catalog.getEntityByRef(ref, {
    credentials: await access.auth.getOwnServiceCredentials(),
  });
  if (!entity) throw new InputError(`entityRef: ${ref} is not in the catalog`);
  const anchored = tenantAnchorOf(entity, await access.anchorSources());
  if ('problem' in anchored)
    throw new InputError(
      `entityRef: ${ref} is not a ClearML tenant: ${anchored.problem}`,
    );
  const annotations = entity.metadata.annotations ?? {};
  const cluster = annotations[CLEARML_ANNOTATIONS.cluster];
  const namespace = annotations[CLEARML_ANNOTATIONS.namespace];
  if (!cluster || !namespace) {
    throw new InputError(
      `entityRef: ${ref} lacks ${CLEARML_ANNOTATIONS.cluster} or ${CLEARML_ANNOTATIONS.namespace}`,
    );
  }
  let owner: string | undefined;
  try {
    owner =
      typeof entity.spec?.owner === 'string'
        ? stringifyEntityRef(
            parseEntityRef(entity.spec.owner, {
              defaultKind: 'group',
              defaultNamespace: 'default',
            }),
          )
        : undefined;
  } catch {
    owner = undefined;
  }
  return {
    entity,
    entityRef: ref,
    tenant: anchored.anchor.tenant,
    anchor: anchored.anchor,
    cluster,
    namespace,
    branch:
      annotations[CLEARML_ANNOTATIONS.gitopsBranch] ??
      tenantBranchName(anchored.anchor.tenant),
    owner,
  };
}
