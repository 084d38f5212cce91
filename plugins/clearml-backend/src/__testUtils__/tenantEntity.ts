import { Entity } from '@backstage/catalog-model';
import { tenantEntityAnnotations } from '@clearml-openshift/plugin-clearml-common';
import type { FixtureTenant } from '@internal/clearml-test-utils';
import { anchored } from './anchor';

/** A tenant's entity as the pull-request action writes it, before it is registered anywhere. */
export function tenantResource(
  name: string,
  cluster: string,
  t: FixtureTenant,
  extra: Partial<Entity['metadata']> = {},
  owner = 'group:default/ml-platform',
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      namespace: 'default',
      annotations: tenantEntityAnnotations({
        cluster,
        namespace: t.namespace,
        release: t.release,
        edition: t.edition,
        tenant: name,
        ...(t.appGateway ? { appGateway: t.appGateway } : {}),
      }),
      ...extra,
    },
    spec: { type: 'clearml-tenant', owner },
  };
}

/** The same entity as the catalog holds it once registered from its own file (anchor.ts). */
export function tenantEntity(
  ...args: Parameters<typeof tenantResource>
): Entity {
  return anchored(tenantResource(...args));
}
