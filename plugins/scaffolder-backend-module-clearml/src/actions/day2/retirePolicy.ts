/**
 * The retire action's refusals, each before its first write: the data policy and reason of the input, the
 * tenant's GitOps repository (no other open pull request of the tenant: create, change or upgrade; the tenant's
 * directory merged), and, with the `keep`
 * policy, the grant credential's rights to mark the data (SelfSubjectAccessReviews).
 */
import { Config } from '@backstage/config';
import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import {
  DEFAULT_TENANT_DATA_POLICY,
  TENANT_DATA_POLICIES,
  TenantDataPolicy,
} from '@clearml-openshift/plugin-clearml-common';
import {
  ClearmlCluster,
  deniedAccess,
  describeAccess,
  GitopsTarget,
  KubernetesClientFactory,
  KubernetesClients,
} from '@clearml-openshift/plugin-clearml-node';
import { clusterCallError, GRANTER_DOCS } from '../cluster/clusterErrors';
import { configuredCluster, tenantPreflight } from '../cluster/tenantPreflight';
import { keepDataAccessChecks } from './keepData';
import { refuseOtherOpenChanges } from './openTenantChanges';
import { day2Reason } from './reason';
import { TenantOfEntity } from './tenantOfEntity';

/** The input's data policy (`keep` by default) and reason, checked (the scaffolder only validated the JSON schema). */
export function retireDataPolicy(input: {
  dataPolicy?: unknown;
  reason?: unknown;
}): TenantDataPolicy {
  const dataPolicy = (input.dataPolicy ??
    DEFAULT_TENANT_DATA_POLICY) as TenantDataPolicy;
  if (!TENANT_DATA_POLICIES.includes(dataPolicy)) {
    throw new InputError(
      `dataPolicy: must be one of ${TENANT_DATA_POLICIES.join(', ')} (got ${JSON.stringify(input.dataPolicy)})`,
    );
  }
  day2Reason(input.reason);
  return dataPolicy;
}

/**
 * The tenant's merged files the retire removes, read from the default branch of its repository: refused when the
 * target cannot be read yet, when another pull request of the tenant is open, or when its directory is not merged.
 */
export async function retiredFiles(
  target: GitopsTarget,
  tenant: TenantOfEntity,
  targetPath: string,
): Promise<Map<string, Buffer>> {
  const where = `${target.host}/${target.owner}/${target.repo}`;
  target.preflight();
  if (!target.readRepository) {
    throw new InputError(
      `entityRef: the tenant's GitOps repository ${where} is a ${target.kind} target, which this action cannot retire from yet; nothing was written`,
    );
  }
  const repository = await target.readRepository();
  // Its create, change or upgrade pull request open: refused (an open retire pull request is updated).
  await refuseOtherOpenChanges(repository, tenant, 'retire');
  const current = await repository.filesIn(targetPath);
  if (current.size === 0) {
    throw new ConflictError(
      `entityRef: ${targetPath}/ is not on branch ${repository.defaultBranch} of ${where}: the tenant has no ` +
        'merged files to remove (a tenant whose first pull request is still open is retired by closing it). ' +
        'Nothing was written',
    );
  }
  return current;
}

/** With `keep`: the grant credential may mark the tenant's Namespace and claims, or the retire is refused. */
async function checkKeepDataRights(
  clients: KubernetesClients,
  cluster: ClearmlCluster,
  namespace: string,
): Promise<void> {
  let denied;
  try {
    denied = await deniedAccess(clients, keepDataAccessChecks(namespace));
  } catch (error) {
    throw clusterCallError(
      error,
      cluster,
      clients,
      `Reviewing the grant credential's rights on cluster '${cluster.name}'`,
      'create on selfsubjectaccessreviews',
    );
  }
  if (denied.length) {
    throw new NotAllowedError(
      `dataPolicy: keep needs the grant credential of cluster '${cluster.name}' to ${denied.map(describeAccess).join(', ')}; ` +
        `it may not, and nothing was written. Bind it to the ClusterRole in ${GRANTER_DOCS}, or retire with dataPolicy: delete`,
    );
  }
}

/**
 * The tenant's cluster and clients: the cluster configured, the namespace the tenant's, and with `keep` the grant
 * credential able to mark its data. `keepData`: the keep policy has data to mark (the namespace exists).
 */
export async function retireClusterAccess(options: {
  config: Config;
  clientFactory: KubernetesClientFactory;
  tenant: TenantOfEntity;
  dataPolicy: TenantDataPolicy;
}): Promise<{
  cluster: ClearmlCluster;
  clients: KubernetesClients;
  keepData: boolean;
}> {
  const { config, clientFactory, tenant, dataPolicy } = options;
  const cluster = configuredCluster(
    config,
    tenant.cluster,
    'entityRef',
    dataPolicy === 'keep' ? 'grant' : 'read',
  );
  const { clients, namespaceExists } = await tenantPreflight({
    config,
    clientFactory,
    tenant: tenant.tenant,
    cluster,
    namespace: tenant.namespace,
    fields: { namespace: 'entityRef' },
    credential: dataPolicy === 'keep' ? 'grant' : undefined,
  });
  const keepData = dataPolicy === 'keep' && namespaceExists;
  if (keepData) {
    await checkKeepDataRights(clients, cluster, tenant.namespace);
  }
  return { cluster, clients, keepData };
}
