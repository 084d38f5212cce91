/**
 * The plugin's two outward clients as services with production defaults, so a
 * deployment or a test can supply its own (as Backstage's own integrations do).
 */
import { createServiceFactory, createServiceRef } from '@backstage/backend-plugin-api';
import { KubernetesClientFactory, kubernetesClientFactory } from '@clearml-openshift/plugin-clearml-node';
import { ProbeFetch } from './health/probes';

/** Builds Kubernetes API clients for a configured cluster. Default: clearml-node's client-node clients with per-request timeouts. */
export const clearmlKubernetesClientFactoryServiceRef = createServiceRef<KubernetesClientFactory>({
  id: 'clearml.kubernetes-client-factory',
  scope: 'plugin',
  defaultFactory: async service =>
    createServiceFactory({ service, deps: {}, factory: () => kubernetesClientFactory() }),
});

/** The HTTP client of the endpoint probes. Default: Node's fetch. */
export const clearmlProbeFetchServiceRef = createServiceRef<ProbeFetch>({
  id: 'clearml.health-probe-fetch',
  scope: 'plugin',
  defaultFactory: async service =>
    createServiceFactory({ service, deps: {}, factory: (): ProbeFetch => (url, init) => fetch(url, init) }),
});
