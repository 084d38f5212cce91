/**
 * Applying an SCC grant to the cluster the way `oc adm policy add-scc-to-user`
 * does: read the RoleBinding `system:openshift:scc:<scc>`, create it or append
 * the missing ServiceAccounts (never remove one), and retry when someone else
 * changed it in between. The builders it writes are in sccRoleBinding.ts; the
 * action that decides which grants to apply is `clearml:scc:grant`.
 */
import { sccRoleName } from '@clearml-openshift/plugin-clearml-common';
import {
  RbacAuthorizationV1Api,
  setHeaderOptions,
  V1RoleBinding,
} from '@kubernetes/client-node';
import { isConflict, isNotFound } from './errors';
import {
  bindsSccRole,
  missingServiceAccounts,
  sccRoleBinding,
  sccServiceAccountSubject,
} from './sccRoleBinding';

/** How often a write refused with 409 (changed meanwhile) is read again and retried. */
const MAX_CONFLICT_RETRIES = 3;

/**
 * A Kubernetes call of an SCC grant failed: which call (`read`, `create`,
 * `patch`) and the client's error, for the caller to describe.
 *
 * @public
 */
export class SccRoleBindingCallError extends Error {
  name = 'SccRoleBindingCallError';
  constructor(
    readonly call: 'read' | 'create' | 'patch',
    /** The client's error. */
    readonly error: unknown,
  ) {
    super(`RoleBinding ${call} failed`);
  }
}

/**
 * The binding of the SCC's name, re-read during a retry, now binds another
 * role: it was not made by oc or this product, and is left alone.
 *
 * @public
 */
export class ForeignSccRoleBindingError extends Error {
  name = 'ForeignSccRoleBindingError';
}

/**
 * The RoleBinding `system:openshift:scc:<scc>` in the namespace, or undefined
 * when there is none. Other failures throw the client's error.
 *
 * @public
 */
export async function readSccRoleBinding(
  rbac: RbacAuthorizationV1Api,
  scc: string,
  namespace: string,
): Promise<V1RoleBinding | undefined> {
  try {
    return await rbac.readNamespacedRoleBinding({
      name: sccRoleName(scc),
      namespace,
    });
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/**
 * The JSON patch that appends subjects to a binding read at its
 * resourceVersion: the server refuses it (409) if the binding changed since.
 */
function appendSubjectsPatch(
  binding: V1RoleBinding,
  namespace: string,
  serviceAccounts: readonly string[],
): object[] {
  const subjects = serviceAccounts.map(sa =>
    sccServiceAccountSubject(sa, namespace),
  );
  const ops = binding.subjects?.length
    ? subjects.map(value => ({ op: 'add', path: '/subjects/-', value }))
    : [{ op: 'add', path: '/subjects', value: subjects }];
  return [
    {
      op: 'replace',
      path: '/metadata/resourceVersion',
      value: binding.metadata?.resourceVersion,
    },
    ...ops,
  ];
}

/**
 * Adds the ServiceAccounts the binding lacks, creating it when there is none.
 * A 409 (changed or created meanwhile) reads the binding again and retries, at
 * most three times. Resolves to the ServiceAccounts added (none when all were
 * already subjects) and whether the server checked the write: a dry run in a
 * namespace that is itself only dry-run created (`namespacePending`) cannot be.
 *
 * Throws {@link SccRoleBindingCallError} for a failed call and
 * {@link ForeignSccRoleBindingError} when a re-read binding binds another role.
 *
 * @public
 */
export async function applySccRoleBinding(options: {
  rbac: RbacAuthorizationV1Api;
  scc: string;
  namespace: string;
  serviceAccounts: readonly string[];
  /** The binding as read before (undefined: there was none). */
  binding: V1RoleBinding | undefined;
  dryRun?: 'All';
  /** The namespace does not exist yet (a dry run creates it only in the server's imagination). */
  namespacePending?: boolean;
}): Promise<{ added: string[]; checkedByServer: boolean }> {
  const { rbac, scc, namespace, dryRun } = options;
  let binding = options.binding;
  for (let attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt++) {
    const missing = missingServiceAccounts(
      binding,
      namespace,
      options.serviceAccounts,
    );
    if (missing.length === 0) return { added: [], checkedByServer: true };
    try {
      if (!binding) {
        await rbac.createNamespacedRoleBinding({
          namespace,
          body: sccRoleBinding(scc, namespace, missing),
          dryRun,
        });
      } else {
        await rbac.patchNamespacedRoleBinding(
          {
            name: sccRoleName(scc),
            namespace,
            body: appendSubjectsPatch(binding, namespace, missing),
            dryRun,
          },
          setHeaderOptions('Content-Type', 'application/json-patch+json'),
        );
      }
      return { added: missing, checkedByServer: true };
    } catch (error) {
      // Dry run of a binding in a namespace that is only dry-run created: the server cannot check it.
      if (dryRun && options.namespacePending && isNotFound(error)) {
        return { added: missing, checkedByServer: false };
      }
      if (!isConflict(error) || attempt === MAX_CONFLICT_RETRIES - 1) {
        throw new SccRoleBindingCallError(binding ? 'patch' : 'create', error);
      }
      // Changed or created meanwhile: read again and retry.
      try {
        binding = await readSccRoleBinding(rbac, scc, namespace);
      } catch (readError) {
        throw new SccRoleBindingCallError('read', readError);
      }
      if (binding && !bindsSccRole(binding, scc)) {
        throw new ForeignSccRoleBindingError(
          `RoleBinding '${sccRoleName(scc)}' in ${namespace} now binds another role`,
        );
      }
    }
  }
  return { added: [], checkedByServer: true };
}
