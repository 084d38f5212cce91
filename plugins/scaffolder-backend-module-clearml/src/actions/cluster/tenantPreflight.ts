/**
 * Everything the tenant's cluster must allow, checked before the first write
 * (the pull request, a namespace, a binding): the cluster is configured and
 * answers, the namespace is the tenant's (the tenant namespace rule), and,
 * when grants are to be applied, the grant credential holds every right the
 * grants need (SelfSubjectAccessReview). A refusal here leaves nothing behind.
 *
 * Checks that need other facts of the cluster (e.g. the charts' Kubernetes
 * range) add an entry to `extraChecks`.
 */
import type { Config } from '@backstage/config';
import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import {
  DEFAULT_ALLOWED_SCCS,
  sccRoleName,
  TenantNamespaceProblem,
} from '@clearml-openshift/plugin-clearml-common';
import {
  AccessCheck,
  ClearmlCluster,
  deniedAccess,
  describeAccess,
  findClearmlCluster,
  KubernetesClientFactory,
  KubernetesClients,
  readClearmlClusters,
  readTenantNamespacePolicy,
  tenantNamespaceProblemOnCluster,
} from '@clearml-openshift/plugin-clearml-node';
import { clusterCallError, GRANTER_DOCS } from './clusterErrors';

const RBAC = 'rbac.authorization.k8s.io';

/** The SCCs `clearml:scc:grant` may grant on this Backstage. */
export function allowedSccs(config: Config): string[] {
  return (
    config.getOptionalStringArray('clearml.scc.allowed') ?? [
      ...DEFAULT_ALLOWED_SCCS,
    ]
  );
}

/** The configured cluster of that name, with the credential the caller needs; refusals name `field`. */
export function configuredCluster(
  config: Config,
  name: string,
  field: string,
  credential: 'read' | 'grant',
): ClearmlCluster {
  const clusters = readClearmlClusters(config);
  const cluster = findClearmlCluster(clusters, name);
  if (!cluster) {
    const known = clusters.map(c => c.name).join(', ') || 'none';
    throw new InputError(
      `${field}: unknown cluster '${name}'; configured clusters: ${known}`,
    );
  }
  if (credential === 'grant' && !cluster.grantToken) {
    throw new InputError(
      `${field}: cluster '${cluster.name}' has no grant credential; add grantToken to its entry in clearml.clusters ` +
        `(a token of a ServiceAccount bound to the ClusterRole in ${GRANTER_DOCS})`,
    );
  }
  if (
    credential === 'read' &&
    !cluster.serviceAccountToken &&
    !cluster.grantToken
  ) {
    throw new InputError(
      `${field}: cluster '${cluster.name}' has no credential (serviceAccountToken) in ${cluster.source}`,
    );
  }
  return cluster;
}

/** The rights `clearml:scc:grant` uses for these SCCs in the namespace. */
export function grantAccessChecks(
  namespace: string,
  sccs: readonly string[],
  createNamespace: boolean,
  namespaceExists: boolean,
): AccessCheck[] {
  return [
    { verb: 'get', group: '', resource: 'namespaces', name: namespace },
    ...(createNamespace && !namespaceExists
      ? [{ verb: 'create', group: '', resource: 'namespaces' }]
      : []),
    ...['get', 'create', 'patch'].map(verb => ({
      verb,
      group: RBAC,
      resource: 'rolebindings',
      namespace,
    })),
    ...[...new Set(sccs)].flatMap(scc => [
      {
        verb: 'get',
        group: RBAC,
        resource: 'clusterroles',
        name: sccRoleName(scc),
      },
      {
        verb: 'bind',
        group: RBAC,
        resource: 'clusterroles',
        name: sccRoleName(scc),
      },
    ]),
  ];
}

/** The tenant rule's refusal as a task error naming the field. */
export function namespaceRefusal(
  field: string,
  problem: TenantNamespaceProblem,
): Error {
  const message = `${field}: ${problem.message}`;
  if (problem.refusal === 'pattern' || problem.refusal === 'protected')
    return new InputError(message);
  return new ConflictError(`${message}; nothing was written`);
}

export interface TenantPreflightOptions {
  config: Config;
  clientFactory: KubernetesClientFactory;
  tenant: string;
  cluster: ClearmlCluster;
  namespace: string;
  /** Field names for refusals, e.g. `summary.namespace`. */
  fields: { namespace: string };
  /** SCCs about to be granted with the grant credential; undefined when no grants are applied now. */
  grants?: { sccs: readonly string[]; createNamespace: boolean };
  /** The credential the returned clients use; default: the grant credential with grants (or no read token), else the read one. */
  credential?: 'read' | 'grant';
}

export interface TenantPreflightResult {
  clients: KubernetesClients;
  namespaceExists: boolean;
}

/** Runs the checks; throws the first refusal. */
export async function tenantPreflight(
  options: TenantPreflightOptions,
): Promise<TenantPreflightResult> {
  const { cluster, namespace, tenant } = options;
  const policy = readTenantNamespacePolicy(options.config);
  const credential =
    options.credential ??
    (options.grants || !cluster.serviceAccountToken ? 'grant' : 'read');
  const clients = options.clientFactory(cluster, credential);

  let ownership: Awaited<ReturnType<typeof tenantNamespaceProblemOnCluster>>;
  try {
    ownership = await tenantNamespaceProblemOnCluster(
      clients,
      policy,
      tenant,
      namespace,
    );
  } catch (error) {
    throw clusterCallError(
      error,
      cluster,
      clients,
      `Reading namespace ${namespace} on cluster '${cluster.name}'`,
      `get on namespaces`,
    );
  }
  if (ownership.problem)
    throw namespaceRefusal(options.fields.namespace, ownership.problem);

  if (options.grants) {
    const checks = grantAccessChecks(
      namespace,
      options.grants.sccs,
      options.grants.createNamespace,
      ownership.exists,
    );
    let denied: AccessCheck[];
    try {
      denied = await deniedAccess(clients, checks);
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
        `The grant credential of cluster '${cluster.name}' may not ${denied.map(describeAccess).join(', ')}; ` +
          `nothing was written. Bind it to the ClusterRole in ${GRANTER_DOCS}`,
      );
    }
  }
  return { clients, namespaceExists: ownership.exists };
}
