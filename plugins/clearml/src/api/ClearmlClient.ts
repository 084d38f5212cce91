import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  ClusterSummary,
  FleetResponse,
  FleetTenant,
  TenantHealth,
} from '@clearml-openshift/plugin-clearml-common';
import { ClearmlApi, ClearmlRequestOptions } from './ClearmlApi';

/** The backend's plugin id, which discovery resolves to its base URL (`/api/clearml`). */
const BACKEND_PLUGIN_ID = 'clearml';

/**
 * {@link ClearmlApi} over HTTP: the app's `fetchApi` adds the user's Backstage
 * token, so the backend reads the entity with the user's own permissions.
 *
 * @public
 */
export class ClearmlClient implements ClearmlApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async getTenantHealth(
    entityRef: string,
    options?: ClearmlRequestOptions,
  ): Promise<TenantHealth> {
    const baseUrl = await this.discoveryApi.getBaseUrl(BACKEND_PLUGIN_ID);
    const url = `${baseUrl}/v1/health?entityRef=${encodeURIComponent(entityRef)}`;
    const response = await this.fetchApi.fetch(url, {
      headers: { Accept: 'application/json' },
      signal: options?.signal,
    });
    if (!response.ok) {
      // Keeps the backend's `{ error: { name, message } }` as `cause`, which the card shows.
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as TenantHealth;
  }

  async getClusters(
    options?: ClearmlRequestOptions,
  ): Promise<ClusterSummary[]> {
    const baseUrl = await this.discoveryApi.getBaseUrl(BACKEND_PLUGIN_ID);
    const response = await this.fetchApi.fetch(`${baseUrl}/v1/clusters`, {
      headers: { Accept: 'application/json' },
      signal: options?.signal,
    });
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as ClusterSummary[];
  }

  async getTenants(options?: ClearmlRequestOptions): Promise<FleetTenant[]> {
    const baseUrl = await this.discoveryApi.getBaseUrl(BACKEND_PLUGIN_ID);
    const response = await this.fetchApi.fetch(`${baseUrl}/v1/tenants`, {
      headers: { Accept: 'application/json' },
      signal: options?.signal,
    });
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return ((await response.json()) as FleetResponse).items;
  }
}
