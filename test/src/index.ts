/**
 * Local API doubles (loopback servers that follow the real APIs' paths, JSON
 * shapes, status codes and error bodies) for tests and the local demo.
 */
export * from './github-api-double';
export * from './gitlab-api-double';
export * from './kubernetes-api-double';
export * from './clearml-server-double';
export * from './openshift/routeSchema';
export * from './reference';
// Test backends: their SQLite connections closed when they stop, so jest's workers exit.
export { releaseDatabasesOnStop } from './backend/releaseDatabasesOnStop';
// A ClearML tenant's objects as the cluster returns them, with the failure signatures of
// docs/openshift-and-clearml.md#health, to load into the double.
export * from './kubernetes-fixtures/tenantObjects';
// Whether rendered values only set keys the charts read (test/reference/clearml-charts).
export {
  hasPath,
  keyPaths,
  subchartValues,
  unknownKeys,
} from './charts/chartValuesKeys';
