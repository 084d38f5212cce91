/**
 * The SCC RoleBindings as `clearml:scc:grant` sees them: the cluster state it
 * checks before its first write (each SCC's ClusterRole exists, since a binding
 * to a missing role would grant nothing; the RoleBinding of its name, when
 * there is one, binds that role, since one bound to anything else was not made
 * by oc or this action and is left alone), and its failures as task errors.
 */
import { InputError } from '@backstage/errors';
import { sccRoleName } from '@clearml-openshift/plugin-clearml-common';
import {
  bindsSccRole,
  ClearmlCluster,
  ForeignSccRoleBindingError,
  KubernetesClients,
  readSccRoleBinding,
  SccRoleBindingCallError,
} from '@clearml-openshift/plugin-clearml-node';
import type { V1RoleBinding } from '@kubernetes/client-node';
import { clusterCallError, GRANTER_DOCS, statusCode } from './clusterErrors';

interface Where {
  clients: KubernetesClients;
  cluster: ClearmlCluster;
  namespace: string;
}

/** A failed read of an SCC's RoleBinding, as the task reports it. */
export function readBindingError(
  { clients, cluster, namespace }: Where,
  scc: string,
  error: unknown,
): Error {
  return clusterCallError(
    error,
    cluster,
    clients,
    `Reading RoleBinding ${sccRoleName(scc)} in ${namespace}`,
    `get on rolebindings in ${namespace}`,
  );
}

/**
 * Per SCC, the RoleBinding as it is now (undefined: none, or the namespace
 * does not exist yet). Refuses, naming the grant (`grants[<index>].scc`), an
 * SCC without its ClusterRole and a binding of its name to another role.
 */
export async function readSccBindings(
  options: Where & {
    namespaceExists: boolean;
    /** Each SCC to grant and the index of its first grant in the input. */
    requests: ReadonlyArray<{ scc: string; index: number }>;
  },
): Promise<Map<string, V1RoleBinding | undefined>> {
  const { clients, cluster, namespace, namespaceExists, requests } = options;
  const where = `on cluster '${cluster.name}'`;
  const existing = new Map<string, V1RoleBinding | undefined>();
  for (const request of requests) {
    const role = sccRoleName(request.scc);
    try {
      await clients.rbac.readClusterRole({ name: role });
    } catch (error) {
      if (statusCode(error) === 404) {
        throw new InputError(
          `grants[${request.index}].scc: ClusterRole '${role}' does not exist ${where}, so a binding to it would grant nothing; ` +
            `OpenShift ships it for its default SCCs, a custom SCC needs one (see ${GRANTER_DOCS})`,
        );
      }
      throw clusterCallError(
        error,
        cluster,
        clients,
        `Reading ClusterRole ${role}`,
        `get on clusterroles named ${role}`,
      );
    }
    existing.set(
      request.scc,
      namespaceExists
        ? await readSccRoleBinding(clients.rbac, request.scc, namespace).catch(
            error => {
              throw readBindingError(options, request.scc, error);
            },
          )
        : undefined,
    );
    const binding = existing.get(request.scc);
    if (binding && !bindsSccRole(binding, request.scc)) {
      const ref = binding.roleRef;
      throw new InputError(
        `grants[${request.index}].scc: RoleBinding '${role}' in namespace ${namespace} ${where} binds ${ref?.kind} '${ref?.name}', ` +
          `not ClusterRole '${role}'; it was not made by oc or this action and is left alone`,
      );
    }
  }
  return existing;
}

/**
 * A failed `applySccRoleBinding`, as the task reports it: the call that failed
 * and the rights it needs, or, for a binding that now binds another role, a
 * refusal naming the grant.
 */
export function applyBindingError(
  where: Where,
  request: { scc: string; index: number },
  error: unknown,
): unknown {
  if (error instanceof ForeignSccRoleBindingError) {
    return new InputError(
      `grants[${request.index}].scc: ${error.message}; left alone`,
    );
  }
  if (!(error instanceof SccRoleBindingCallError)) return error;
  if (error.call === 'read')
    return readBindingError(where, request.scc, error.error);
  const name = sccRoleName(request.scc);
  return clusterCallError(
    error.error,
    where.cluster,
    where.clients,
    `${error.call === 'patch' ? 'Patching' : 'Creating'} RoleBinding ${name} in ${where.namespace}`,
    `create, get and patch on rolebindings in ${where.namespace} and bind on clusterroles named ${name}`,
  );
}
