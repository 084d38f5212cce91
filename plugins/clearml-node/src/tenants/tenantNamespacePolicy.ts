/**
 * The platform's tenant namespace rule from config (`clearml.tenants`), and
 * the check against the cluster that the grant action, the pull-request
 * action's preflight and the health API share.
 */
import type { Config } from '@backstage/config';
import {
  DEFAULT_TENANT_NAMESPACE_PATTERN,
  isDns1123Label,
  isNamespacePattern,
  isTenantName,
  TENANT_NAMESPACE_CONFIG,
  TenantNamespacePolicy,
  TenantNamespaceProblem,
  tenantNamespaceProblem,
} from '@clearml-openshift/plugin-clearml-common';
import type { KubernetesClients } from '../cluster/kubernetesClients';
import { isNotFound } from '../cluster/errors';

/**
 * Reads `clearml.tenants`; a bad entry is an error naming its key (the backend does not start with it).
 *
 * @public
 */
export function readTenantNamespacePolicy(
  config: Config,
): TenantNamespacePolicy {
  const namespacePattern =
    config.getOptionalString(TENANT_NAMESPACE_CONFIG.namespacePattern) ??
    DEFAULT_TENANT_NAMESPACE_PATTERN;
  if (!isNamespacePattern(namespacePattern)) {
    throw new Error(
      `Invalid config at ${TENANT_NAMESPACE_CONFIG.namespacePattern}: '${namespacePattern}' must be lower-case letters, digits, '-' and '*'`,
    );
  }
  const adopt = (
    config.getOptionalConfigArray(TENANT_NAMESPACE_CONFIG.adopt) ?? []
  ).map((entry, i) => {
    const namespace = entry.getString('namespace');
    const tenant = entry.getString('tenant');
    if (!isDns1123Label(namespace) || !isTenantName(tenant)) {
      throw new Error(
        `Invalid config at ${TENANT_NAMESPACE_CONFIG.adopt}[${i}]: namespace must be a DNS-1123 label and tenant a tenant name`,
      );
    }
    return { namespace, tenant };
  });
  return { namespacePattern, adopt };
}

/**
 * The namespace as the cluster has it (its labels), or undefined when it does not exist. Other failures throw.
 *
 * @public
 */
export async function readNamespaceOwnership(
  clients: KubernetesClients,
  namespace: string,
): Promise<{ labels: Record<string, string> } | undefined> {
  try {
    const ns = await clients.core.readNamespace({ name: namespace });
    return { labels: ns.metadata?.labels ?? {} };
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/**
 * Reads the namespace and applies the tenant rule: the problem, or undefined when the namespace is the tenant's.
 *
 * @public
 */
export async function tenantNamespaceProblemOnCluster(
  clients: KubernetesClients,
  policy: TenantNamespacePolicy,
  tenant: string,
  namespace: string,
): Promise<{ problem?: TenantNamespaceProblem; exists: boolean }> {
  const offline = tenantNamespaceProblem(policy, tenant, namespace, undefined);
  if (offline) return { problem: offline, exists: false };
  const existing = await readNamespaceOwnership(clients, namespace);
  return {
    problem: tenantNamespaceProblem(policy, tenant, namespace, existing),
    exists: existing !== undefined,
  };
}
