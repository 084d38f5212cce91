/**
 * The cluster side of the pull-request action's preflight, before the first
 * write: the summary's cluster is configured and answers, the namespace is
 * the tenant's, and (when the grants are applied) they may be.
 */
import { Config } from '@backstage/config';
import type {
  KubernetesClientFactory,
  PullRequestSummary,
} from '@clearml-openshift/plugin-clearml-node';
import { configuredCluster, tenantPreflight } from '../cluster/tenantPreflight';

/** Where the tenant already runs (its namespace exists), for the conflict message; undefined when it does not. */
export async function existingTenantOf(options: {
  config: Config;
  clientFactory: KubernetesClientFactory;
  tenant: string;
  summary: PullRequestSummary;
}): Promise<string | undefined> {
  const { config, tenant, summary } = options;
  const cluster = configuredCluster(
    config,
    summary.cluster,
    'summary.cluster',
    summary.grantsApplied ? 'grant' : 'read',
  );
  const { namespaceExists } = await tenantPreflight({
    config,
    clientFactory: options.clientFactory,
    tenant,
    cluster,
    namespace: summary.namespace,
    fields: { namespace: 'summary.namespace' },
    ...(summary.grantsApplied
      ? {
          grants: {
            sccs: summary.sccGrants.map(g => g.scc),
            createNamespace: true,
          },
        }
      : {}),
  });
  return namespaceExists
    ? `tenant ${tenant} (namespace ${summary.namespace} on cluster '${cluster.name}')`
    : undefined;
}
