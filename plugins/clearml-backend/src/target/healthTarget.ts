/**
 * What a tenant's health check looks at: the lowest layer of the plugin, read
 * from the entity by health/target.ts and used by the diagnosis and the checker.
 */
import type { TenantEntityAnnotationValues } from '@clearml-openshift/plugin-clearml-common';

/** The entity's annotations (cluster, namespace, release, edition, app gateway), and where its pull request is. */
export interface HealthTarget extends Omit<
  TenantEntityAnnotationValues,
  'gitopsBranch'
> {
  /** The entity's name: the tenant its Namespace and Argo CD Applications are labelled with (clear.ml/tenant). */
  tenant?: string;
  /**
   * Where the tenant's pull request is: the repository of the file the entity was registered from (its anchor),
   * and the tenant's branch. Never from the free clear.ml/gitops-repo annotation.
   */
  gitops?: { repoUrl: string; branch: string };
}

/** The namespaces a check lists objects in (one round of list calls each). */
export function targetNamespaces(target: HealthTarget): string[] {
  const namespaces = [target.namespace];
  if (target.appGateway && target.appGateway.namespace !== target.namespace)
    namespaces.push(target.appGateway.namespace);
  return namespaces;
}
