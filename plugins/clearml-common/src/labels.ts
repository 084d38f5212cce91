/**
 * Labels on every object Backstage renders for a tenant. The health backend
 * selects a tenant's objects by them, so keys and values live only here.
 */
import { KUBERNETES_ANNOTATIONS } from './annotations';
import type { ServerComponent } from './naming';

/** @public */
export const TENANT_LABEL_KEYS = {
  partOf: 'app.kubernetes.io/part-of',
  managedBy: 'app.kubernetes.io/managed-by',
  component: 'app.kubernetes.io/component',
  instance: 'app.kubernetes.io/instance',
} as const;

/**
 * `app.kubernetes.io/managed-by` of everything this product renders.
 *
 * @public
 */
export const MANAGED_BY_BACKSTAGE = 'backstage';

/**
 * A component a rendered object belongs to (the values match the health report's component ids).
 *
 * @public
 */
export type TenantComponent = ServerComponent | 'app-gateway';

/**
 * `app.kubernetes.io/part-of` of a tenant's objects: `clearml-<tenant>` (at most 48 characters, a valid label value).
 *
 * @public
 */
export function tenantPartOf(tenant: string): string {
  return `clearml-${tenant}`;
}

/**
 * The labels of one rendered object. `instance` is the Helm release the component belongs to.
 *
 * @public
 */
export function tenantObjectLabels(options: {
  tenant: string;
  component: TenantComponent;
  instance: string;
}): Record<string, string> {
  return {
    [TENANT_LABEL_KEYS.partOf]: tenantPartOf(options.tenant),
    [TENANT_LABEL_KEYS.managedBy]: MANAGED_BY_BACKSTAGE,
    [TENANT_LABEL_KEYS.component]: options.component,
    [TENANT_LABEL_KEYS.instance]: options.instance,
  };
}

/**
 * Kubernetes label selector for every object Backstage rendered for a tenant (optionally one component).
 *
 * @public
 */
export function tenantLabelSelector(
  tenant: string,
  component?: TenantComponent,
): string {
  const terms = [
    `${TENANT_LABEL_KEYS.partOf}=${tenantPartOf(tenant)}`,
    `${TENANT_LABEL_KEYS.managedBy}=${MANAGED_BY_BACKSTAGE}`,
  ];
  if (component) terms.push(`${TENANT_LABEL_KEYS.component}=${component}`);
  return terms.join(',');
}

/**
 * Label on a tenant's Namespace (and on the Argo CD Applications rendered for
 * it) that names the tenant owning it. Set when the namespace is created (by
 * `clearml:scc:grant` or the GitOps Namespace manifest); the actions and the
 * health API refuse a namespace whose label names another tenant.
 *
 * @public
 */
export const TENANT_OWNER_LABEL = 'clear.ml/tenant';

/**
 * The labels that mark an object (a Namespace, an Argo CD Application) as owned by a tenant.
 *
 * @public
 */
export function tenantOwnerLabels(tenant: string): Record<string, string> {
  return {
    [TENANT_OWNER_LABEL]: tenant,
    [TENANT_LABEL_KEYS.partOf]: tenantPartOf(tenant),
    [TENANT_LABEL_KEYS.managedBy]: MANAGED_BY_BACKSTAGE,
  };
}

/**
 * The labels the rendered values put on the chart objects whose charts accept extra labels (the mongodb and redis
 * subcharts' `commonLabels`, Elasticsearch's `labels`, the agent's `agentk8sglue.labels`): the tenant that owns
 * them, and `backstage.io/kubernetes-id` (the tenant, as its catalog entity's annotation), which Backstage's own
 * Kubernetes plugin selects by.
 *
 * @public
 */
export function tenantChartLabels(tenant: string): Record<string, string> {
  return {
    [TENANT_OWNER_LABEL]: tenant,
    [KUBERNETES_ANNOTATIONS.id]: tenant,
  };
}
