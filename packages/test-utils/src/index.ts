/**
 * What the plugins' tests, the end-to-end suites and the local instance share: local API doubles (loopback servers
 * that follow the real APIs' paths, JSON shapes, status codes and error bodies), a tenant's objects as the cluster
 * returns them, and the public reference data the tests check against. Depends on clearml-common only.
 */
export * from './github-api-double';
export * from './gitlab-api-double';
export * from './kubernetes-api-double';
export { matchesLabelSelector } from './kubernetes-api-double/selectors';
export * from './clearml-server-double';
export * from './openshift/routeSchema';
export * from './openshift/openshiftVersions';
export * from './reference';
// Test backends: their database clients released when they stop, so jest's workers exit.
export {
  releaseDatabasesOnStop,
  endStoppedDatabaseClients,
} from './backend/releaseDatabasesOnStop';
// A PostgreSQL server of the machine's own, for the tests that need one.
export { ensurePostgresInstalled, startPostgres } from './postgres';
export type { TestPostgres } from './postgres';
// What the External Secrets Operator writes from an ExternalSecret.
export * from './external-secrets/externalSecretsOperator';
// A ClearML tenant's objects as the cluster returns them, with the failure signatures of
// docs/openshift-and-clearml.md#health, to load into the double.
export * from './kubernetes-fixtures/tenantObjects';
export { AWS_STORAGE_CLASSES_FILE } from './kubernetes-fixtures/storageClasses';
// Whether rendered values only set keys the charts read (packages/test-utils/reference/clearml-charts).
export {
  hasPath,
  keyPaths,
  subchartValues,
  unknownKeys,
} from './charts/chartValuesKeys';
// A chart's Helm repository (index.yaml and the packaged archives), for the upgrade's values differences.
export {
  HelmRepositoryDouble,
  packagedChartYaml,
} from './helm-repository-double';
export type { HelmRepositoryDoubleOptions } from './helm-repository-double';
export { OciRegistryDouble } from './helm-repository-double/ociRegistryDouble';
export type { OciRegistryDoubleOptions } from './helm-repository-double/ociRegistryDouble';
