/**
 * The health API reads only a tenant's own namespaces: each namespace an
 * entity names must pass the tenant namespace rule (clearml.tenants) and carry
 * the label naming the entity's tenant. Otherwise the request is refused (422)
 * with the reason, before any tenant object is read. Results are kept for a
 * short while so a cached health report costs no extra call.
 */
import { Entity } from '@backstage/catalog-model';
import type { Config } from '@backstage/config';
import {
  isTenantName,
  TenantNamespacePolicy,
} from '@clearml-openshift/plugin-clearml-common';
import {
  ClearmlCluster,
  describeKubernetesError,
  KubernetesClientFactory,
  readTenantNamespacePolicy,
  tenantNamespaceProblemOnCluster,
} from '@clearml-openshift/plugin-clearml-node';
import { tenantNamespaceProblem } from '@clearml-openshift/plugin-clearml-common';
import { ClusterViews } from '../kubernetes/ClusterViews';
import { HealthTarget, targetNamespaces } from '../target/healthTarget';
import { TenantAnnotationsError } from './target';

class ClusterUnavailable extends Error {}

export type TenantNamespaceGuard = (
  entity: Entity,
  cluster: ClearmlCluster,
  target: HealthTarget,
) => Promise<void>;

export function createTenantNamespaceGuard(options: {
  config: Config;
  clientFactory: KubernetesClientFactory;
  /** How long a namespace found to be the tenant's is not asked again. */
  cacheSeconds: number;
  policy?: TenantNamespacePolicy;
  /** The shared cluster views: a tenant namespace they hold (labelled, current) costs no read. */
  views?: ClusterViews;
}): TenantNamespaceGuard {
  const policy = options.policy ?? readTenantNamespacePolicy(options.config);
  // Namespace → tenant verdicts: a pass is kept for cacheSeconds; concurrent requests share one read.
  const verdicts = new Map<
    string,
    { until: number; verdict: Promise<boolean> }
  >();

  /** Resolves whether the namespace exists (and is the tenant's); rejects when it is another's. */
  async function check(
    cluster: ClearmlCluster,
    tenant: string,
    namespace: string,
  ): Promise<boolean> {
    const known = options.views?.labelledNamespace(cluster.name, namespace);
    if (known) {
      const problem = tenantNamespaceProblem(policy, tenant, namespace, known);
      if (problem)
        throw new TenantAnnotationsError(
          `Entity cannot be checked as ClearML tenant '${tenant}': ${problem.message}`,
        );
      return true;
    }
    const clients = options.clientFactory(cluster, 'read');
    let result;
    try {
      result = await tenantNamespaceProblemOnCluster(
        clients,
        policy,
        tenant,
        namespace,
      );
    } catch (error) {
      const failure = describeKubernetesError(error, cluster, {
        timeoutMs: clients.timeoutMs,
      });
      if (
        failure.kind !== 'status' ||
        failure.httpStatus === 401 ||
        (failure.httpStatus ?? 0) >= 500
      ) {
        // The cluster does not answer: the check reports that, and reads nothing either. Not kept.
        throw new ClusterUnavailable();
      }
      throw new TenantAnnotationsError(
        `Entity cannot be checked as a ClearML tenant: the ownership of namespace '${namespace}' cannot be verified (${failure.message}); ` +
          'the read credential needs get on namespaces (plugins/clearml-backend/rbac/clearml-health-reader.yaml)',
      );
    }
    if (result.problem) {
      throw new TenantAnnotationsError(
        `Entity cannot be checked as ClearML tenant '${tenant}': ${result.problem.message}`,
      );
    }
    // A namespace that does not exist yet (before Argo CD syncs the merged pull request) holds nothing to read;
    // the check reports the tenant as not deployed. It is asked again next time, not kept.
    return result.exists;
  }

  return async (entity, cluster, target) => {
    const tenant = entity.metadata.name;
    if (!isTenantName(tenant)) {
      throw new TenantAnnotationsError(
        `Entity cannot be checked as a ClearML tenant: its name '${tenant}' is not a tenant name`,
      );
    }
    for (const namespace of targetNamespaces(target)) {
      const key = `${cluster.name}/${namespace}/${tenant}`;
      let entry = verdicts.get(key);
      if (!entry || entry.until < Date.now()) {
        const verdict = check(cluster, tenant, namespace);
        entry = { until: Number.MAX_SAFE_INTEGER, verdict };
        verdicts.set(key, entry);
        const settled = entry;
        verdict.then(
          exists => {
            if (exists)
              settled.until = Date.now() + options.cacheSeconds * 1000;
            else verdicts.delete(key);
          },
          () => verdicts.delete(key),
        );
      }
      try {
        await entry.verdict;
      } catch (error) {
        if (error instanceof ClusterUnavailable) return;
        throw error;
      }
    }
  };
}
