import { createApiRef } from '@backstage/core-plugin-api';
import {
  ClusterSummary,
  FleetTenant,
  TenantHealth,
} from '@clearml-openshift/plugin-clearml-common';

/**
 * Options of a {@link ClearmlApi} call.
 *
 * @public
 */
export interface ClearmlRequestOptions {
  /** Aborts the request, e.g. when the card unmounts. */
  signal?: AbortSignal;
}

/**
 * Reads ClearML tenant health from the `clearml` backend.
 *
 * @public
 */
export interface ClearmlApi {
  /**
   * The health of the tenant behind a catalog entity (`resource:default/acme`).
   * Rejects with a `ResponseError` carrying the backend's message when the
   * backend refuses (400, 401, 404, 422).
   */
  getTenantHealth(
    entityRef: string,
    options?: ClearmlRequestOptions,
  ): Promise<TenantHealth>;

  /**
   * The clusters configured in the backend (`clearml.clusters`): name, apps
   * domain and whether SCC grants can be applied there; never credentials.
   */
  getClusters(options?: ClearmlRequestOptions): Promise<ClusterSummary[]>;

  /**
   * Every ClearML tenant in the catalog the user may see and read the health
   * of, with cluster, owner, edition, lifecycle stage and status.
   */
  getTenants(options?: ClearmlRequestOptions): Promise<FleetTenant[]>;
}

/** @public */
export const clearmlApiRef = createApiRef<ClearmlApi>({
  id: 'plugin.clearml.service',
});
