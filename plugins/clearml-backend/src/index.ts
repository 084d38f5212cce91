/**
 * The `clearml` backend plugin: a ClearML tenant's health, read from its
 * OpenShift cluster and explained (`GET /api/clearml/v1/health?entityRef=`).
 *
 * @packageDocumentation
 */
export { clearmlPlugin as default } from './plugin';
export {
  clearmlKubernetesClientFactoryServiceRef,
  clearmlProbeFetchServiceRef,
} from './services';
export type { ProbeFetch } from './health/probes';
