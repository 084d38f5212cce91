/**
 * Creating the tenant's namespace before its first object, as `clearml:scc:grant` and `clearml:credentials:create`
 * both may: labelled as the tenant's (so the namespace rule recognises it afterwards), once per task (a retried task
 * finds the checkpoint), and an existing namespace (409) is not an error.
 */
import type { ActionContext } from '@backstage/plugin-scaffolder-node';
import { tenantOwnerLabels } from '@clearml-openshift/plugin-clearml-common';
import {
  ClearmlCluster,
  KubernetesClients,
} from '@clearml-openshift/plugin-clearml-node';
import { clusterCallError, statusCode } from './clusterErrors';

export async function createTenantNamespaceOnce(options: {
  ctx: Pick<ActionContext<any, any>, 'checkpoint' | 'logger'>;
  /** The action creating it: the namespace's `backstage.io/created-by` annotation, and its checkpoint's prefix. */
  createdBy: string;
  checkpointPrefix: string;
  clients: KubernetesClients;
  cluster: ClearmlCluster;
  namespace: string;
  tenant: string;
  /** `'All'` in a dry run: the API server checks the create and writes nothing. */
  dryRun: 'All' | undefined;
}): Promise<void> {
  const { ctx, clients, cluster, namespace, tenant, dryRun } = options;
  await ctx.checkpoint({
    key: `${options.checkpointPrefix}:namespace`,
    fn: async () => {
      try {
        await clients.core.createNamespace({
          body: {
            metadata: {
              name: namespace,
              labels: tenantOwnerLabels(tenant),
              annotations: { 'backstage.io/created-by': options.createdBy },
            },
          },
          dryRun,
        });
      } catch (error) {
        if (statusCode(error) !== 409) {
          throw clusterCallError(
            error,
            cluster,
            clients,
            `Creating namespace ${namespace}`,
            'create on namespaces',
          );
        }
      }
      ctx.logger.info(
        `${dryRun ? 'Dry run: would create' : 'Created'} namespace ${namespace} on cluster '${cluster.name}'`,
      );
    },
  });
}
