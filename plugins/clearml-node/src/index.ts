/**
 * Node library of the ClearML-on-OpenShift plugins: pure renderers, cluster
 * access and the Kubernetes reads both backends share.
 *
 * @packageDocumentation
 */

// Rendering helpers
export * from './render/yaml';

// Renderers: values (clearml:values:render)
export * from './render/values';

// Renderers: routes (clearml:routes:render)
export * from './render/routes';

// Renderers: the tenant's catalog entity (clearml:catalog-info:render)
export * from './render/catalogInfo';

// A tenant's whole GitOps directory from its settings record (the day-2 actions' re-render)
export * from './render/tenantDirectory';

// Renderers: pull-request summary (clearml:gitops:pull-request)
export * from './render/pullRequest';

// Cluster access (clearml:scc:grant and the health backend)
export * from './cluster';

// The GitOps repository: targets (local git, GitHub), the tenant's change written once, change-request state
export * from './gitops';

// Argo CD: settings (clearml.gitops.argocd) and the Namespace, RoleBinding and Application manifests (clearml:argocd:render)
export * from './gitops/argocdConfig';
// The tenant's credentials Secret: how it reaches the cluster (clearml.credentials)
export * from './gitops/credentialsConfig';
export * from './render/argocd';

// Images (clearml.images)
export * from './images';

// The cluster's StorageClasses and the one a tenant's claims name
export * from './storage';

// Charts (clearml.charts) and whether they install on a cluster's Kubernetes version
export * from './charts';

// The tenant namespace rule from config, checked against the cluster
export * from './tenants/tenantNamespacePolicy';

// Every clearml.* key a plugin uses, read when it starts
export * from './startupConfig';

// Size tiers (clearml.tiers): container sizes, claims, quota
export * from './tenants/tiersConfig';
