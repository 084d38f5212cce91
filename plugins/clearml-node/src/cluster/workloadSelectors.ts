/**
 * The label selectors that find tenants' workloads and their pods, from the
 * labels the charts really put on them (checked against `helm template` of
 * clearml 7.14.4 and clearml-agent 5.3.2 in test/src/health):
 *
 * - clearml's workloads (apiserver, fileserver, webserver, asyncdelete) and
 *   their pods carry `app.kubernetes.io/name: <the chart's fullname>`
 *   (`clearml` for release `clearml`, `team-a-clearml` for `team-a`); the
 *   agent's `<its fullname>`; the mongodb and redis subcharts `mongodb` /
 *   `redis`. Nothing constant covers the apiserver's pods, so the selector
 *   names the fullnames of the tenants it is for.
 * - the elasticsearch subchart (Elastic's chart) carries none of these; its
 *   StatefulSet and pods carry `app: clearml-elastic-master`.
 * - the pods the agent starts for tasks carry only the glue's own labels
 *   (`clearml-agent-queue`, …), so no selector here matches them: a namespace
 *   full of task pods costs the health check nothing.
 *
 * The private enterprise charts could not be rendered here; the same Helm
 * conventions (`app.kubernetes.io/name` = fullname) are assumed for them.
 */
import {
  agentNames,
  Edition,
  ELASTIC_APP_LABEL,
  ELASTICSEARCH_CLUSTER_NAME,
  MANAGED_BY_BACKSTAGE,
  NAME_LABEL,
  serverNames,
  TENANT_LABEL_KEYS,
} from '@clearml-openshift/plugin-clearml-common';

/**
 * The kinds the health check reads for a tenant.
 *
 * @public
 */
export const TENANT_OBJECT_KINDS = [
  'deployments',
  'statefulsets',
  'pods',
  'routes',
  'networkpolicies',
  'resourcequotas',
] as const;
/** @public */
export type TenantObjectKind = (typeof TENANT_OBJECT_KINDS)[number];

/**
 * The releases that make up one tenant: what its `app.kubernetes.io/name` labels are computed from.
 *
 * @public
 */
export interface TenantReleases {
  edition: Edition;
  release: string;
  /** The app gateway's release (its fullname, through `fullnameOverride`). */
  appGatewayRelease?: string;
}

/**
 * `app.kubernetes.io/name` values of a tenant's workloads (server, agent, subcharts, app gateway).
 *
 * @public
 */
export function tenantWorkloadNames(tenant: TenantReleases): string[] {
  const names = [
    serverNames(tenant.edition, tenant.release).fullname,
    agentNames(tenant.edition, tenant.release).deployment,
    'mongodb',
    'redis',
  ];
  if (tenant.appGatewayRelease) names.push(tenant.appGatewayRelease);
  return names;
}

/**
 * Selects Elasticsearch's StatefulSet and pods (the same for every tenant).
 *
 * @public
 */
export const ELASTICSEARCH_SELECTOR = `${ELASTIC_APP_LABEL}=${ELASTICSEARCH_CLUSTER_NAME}-master`;

/**
 * Selects Routes, NetworkPolicies and ResourceQuotas: this product renders them with `tenantObjectLabels` /
 * `tenantOwnerLabels`, both managed-by backstage.
 *
 * @public
 */
export const ROUTES_SELECTOR = `${TENANT_LABEL_KEYS.managedBy}=${MANAGED_BY_BACKSTAGE}`;

/**
 * Per kind, the selectors that cover the objects of every tenant whatever its
 * release names: the charts' `app.kubernetes.io/name` (present on every
 * workload and pod they render, whatever its value), Elastic's `app` label,
 * and the Routes this product renders. The agent's task pods match none. The
 * shared cluster view lists these cluster-wide and keeps only what is in
 * tenant namespaces, so a new release name never changes what it lists.
 *
 * @public
 */
export const TENANT_OBJECT_SELECTORS: Readonly<
  Record<TenantObjectKind, readonly string[]>
> = {
  deployments: [NAME_LABEL],
  statefulsets: [NAME_LABEL, ELASTICSEARCH_SELECTOR],
  pods: [NAME_LABEL, ELASTICSEARCH_SELECTOR],
  routes: [ROUTES_SELECTOR],
  // The tenants' NetworkPolicies and ResourceQuotas: rendered with tenantOwnerLabels (managed-by backstage).
  networkpolicies: [ROUTES_SELECTOR],
  resourcequotas: [ROUTES_SELECTOR],
};

/**
 * Selects every workload and pod named by `names` (sorted, deduplicated, so equal sets give equal selectors).
 *
 * @public
 */
export function workloadNameSelector(names: Iterable<string>): string {
  return `${NAME_LABEL} in (${[...new Set(names)].sort().join(',')})`;
}

/**
 * Per kind, the selectors that cover the objects of the given tenants: one
 * list (or informer) per selector. Task pods and other workloads match none.
 *
 * @public
 */
export function tenantObjectSelectors(
  names: Iterable<string>,
): Record<TenantObjectKind, string[]> {
  const byName = workloadNameSelector(names);
  return {
    deployments: [byName],
    statefulsets: [byName, ELASTICSEARCH_SELECTOR],
    pods: [byName, ELASTICSEARCH_SELECTOR],
    routes: [ROUTES_SELECTOR],
    // The tenants' NetworkPolicies and ResourceQuotas: rendered with tenantOwnerLabels (managed-by backstage).
    networkpolicies: [ROUTES_SELECTOR],
    resourcequotas: [ROUTES_SELECTOR],
  };
}
