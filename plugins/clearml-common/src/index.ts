/**
 * Common types and rules of the ClearML-on-OpenShift plugins.
 *
 * @packageDocumentation
 */
export * from './dns';
export * from './editions';
export * from './hosts';
export * from './naming';
export * from './serviceUrls';
export * from './scc';
export * from './tenant';
export * from './tenantName';
export * from './tenantNamespace';
export * from './annotations';
export * from './labels';
export * from './workloadSelectors';
export * from './health';
export * from './permissions';
export * from './clusters';
export * from './gitopsFiles';
export * from './charts';
export * from './argocd';
