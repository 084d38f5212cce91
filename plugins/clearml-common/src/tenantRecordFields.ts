/**
 * The rules of a tenant's fields that are not part of its deployment: its owner, description and cluster name. The
 * catalog entity and the settings record both carry them, so both check them here.
 */
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { isDns1123Label } from './dns';

/** @public */
export const TENANT_DESCRIPTION_MAX_LENGTH = 1000;

/**
 * The owner as a full entity reference of a Group or User (`group:default/ml-platform`; kind defaults to group);
 * an empty string and a problem naming `owner` otherwise.
 *
 * @public
 */
export function tenantOwnerRef(owner: unknown, problems: string[]): string {
  if (typeof owner !== 'string' || !owner.trim()) {
    problems.push(
      'owner: is required (an entity reference such as group:default/ml-platform)',
    );
    return '';
  }
  try {
    const ref = parseEntityRef(owner, {
      defaultKind: 'group',
      defaultNamespace: 'default',
    });
    const kind = ref.kind.toLocaleLowerCase('en-US');
    if (
      (kind !== 'group' && kind !== 'user') ||
      !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(ref.name) ||
      !/^[a-z0-9-]+$/.test(ref.namespace)
    ) {
      throw new Error('not a Group or User reference');
    }
    return stringifyEntityRef({
      kind,
      namespace: ref.namespace,
      name: ref.name,
    });
  } catch {
    problems.push(
      `owner: must be an entity reference of a Group or User, e.g. group:default/ml-platform (got ${JSON.stringify(owner)})`,
    );
    return '';
  }
}

/**
 * What is wrong with a tenant's description (optional text of bounded length), if anything.
 *
 * @public
 */
export function tenantDescriptionProblem(
  description: unknown,
): string | undefined {
  if (
    description !== undefined &&
    (typeof description !== 'string' ||
      description.length > TENANT_DESCRIPTION_MAX_LENGTH)
  ) {
    return `description: must be text of at most ${TENANT_DESCRIPTION_MAX_LENGTH} characters`;
  }
  return undefined;
}

/**
 * What is wrong with the name of the cluster a tenant runs on (a name from clearml.clusters), if anything.
 *
 * @public
 */
export function tenantClusterProblem(cluster: unknown): string | undefined {
  if (typeof cluster !== 'string' || !isDns1123Label(cluster)) {
    return `cluster: must be a cluster name (a DNS-1123 label) (got ${JSON.stringify(cluster)})`;
  }
  return undefined;
}
