/**
 * Which namespace a tenant may use: the one rule the grant action, the
 * pull-request action's preflight and the health API apply.
 *
 * A tenant namespace matches the platform's pattern (`clearml.tenants.namespacePattern`,
 * default `clearml-*`) and is not a cluster system namespace. When it exists,
 * its `clear.ml/tenant` label names the tenant; a namespace labelled for
 * another tenant is refused, and so is an existing namespace without the
 * label, unless the platform's config adopts it for this tenant
 * (`clearml.tenants.adopt`).
 */
import { isDns1123Label } from './dns';
import { TENANT_OWNER_LABEL } from './labels';
import { isProtectedNamespace, PROTECTED_NAMESPACE_RULE } from './scc';

/** @public */
export const DEFAULT_TENANT_NAMESPACE_PATTERN = 'clearml-*';

/**
 * The config keys of the rule, as refusals name them.
 *
 * @public
 */
export const TENANT_NAMESPACE_CONFIG = {
  namespacePattern: 'clearml.tenants.namespacePattern',
  adopt: 'clearml.tenants.adopt',
} as const;

/**
 * An existing namespace the platform team hands to a tenant although it carries no tenant label.
 *
 * @public
 */
export interface AdoptedNamespace {
  namespace: string;
  tenant: string;
}

/** @public */
export interface TenantNamespacePolicy {
  /** A glob where `*` stands for any run of letters, digits and '-'. */
  namespacePattern: string;
  adopt: readonly AdoptedNamespace[];
}

/** @public */
export const DEFAULT_TENANT_NAMESPACE_POLICY: TenantNamespacePolicy = {
  namespacePattern: DEFAULT_TENANT_NAMESPACE_PATTERN,
  adopt: [],
};

/**
 * A namespace pattern: lower-case letters, digits, '-' and '*'.
 *
 * @public
 */
export function isNamespacePattern(pattern: string): boolean {
  return (
    /^[a-z0-9*]([-a-z0-9*]*[a-z0-9*])?$/.test(pattern) && pattern.length <= 63
  );
}

/**
 * Whether `namespace` matches the glob `pattern` (`*` = any run of characters, possibly empty).
 *
 * @public
 */
export function matchesNamespacePattern(
  pattern: string,
  namespace: string,
): boolean {
  const regex = new RegExp(
    `^${pattern
      .split('*')
      .map(part => part.replace(/[-]/g, '\\-'))
      .join('[-a-z0-9]*')}$`,
  );
  return regex.test(namespace);
}

/**
 * Why a namespace is not the tenant's.
 *
 * @public
 */
export type TenantNamespaceRefusal =
  | 'pattern'
  | 'protected'
  | 'other-tenant'
  | 'unlabelled'
  | 'adopted-for-other-tenant';

/** @public */
export interface TenantNamespaceProblem {
  refusal: TenantNamespaceRefusal;
  /** A sentence naming the namespace, the rule and the config key that changes it. */
  message: string;
}

/**
 * What keeps `namespace` from being `tenant`'s, or undefined when it is.
 * `existing` is the namespace as the cluster has it (its labels), or
 * `undefined` when it does not exist (yet).
 *
 * @public
 */
export function tenantNamespaceProblem(
  policy: TenantNamespacePolicy,
  tenant: string,
  namespace: string,
  existing: { labels?: Record<string, string> } | undefined,
): TenantNamespaceProblem | undefined {
  if (isProtectedNamespace(namespace)) {
    return {
      refusal: 'protected',
      message: `namespace '${namespace}' ${PROTECTED_NAMESPACE_RULE}`,
    };
  }
  if (!matchesNamespacePattern(policy.namespacePattern, namespace)) {
    return {
      refusal: 'pattern',
      message:
        `namespace '${namespace}' does not match the tenant namespace pattern '${policy.namespacePattern}' ` +
        `(${TENANT_NAMESPACE_CONFIG.namespacePattern})`,
    };
  }
  const adoptedFor = policy.adopt.find(a => a.namespace === namespace)?.tenant;
  if (adoptedFor !== undefined && adoptedFor !== tenant) {
    return {
      refusal: 'adopted-for-other-tenant',
      message: `namespace '${namespace}' is adopted for tenant '${adoptedFor}' in ${TENANT_NAMESPACE_CONFIG.adopt}, not for '${tenant}'`,
    };
  }
  if (!existing) return undefined;
  const owner = existing.labels?.[TENANT_OWNER_LABEL];
  if (owner !== undefined && owner !== tenant) {
    return {
      refusal: 'other-tenant',
      message: `namespace '${namespace}' belongs to tenant '${owner}' (label ${TENANT_OWNER_LABEL}=${owner}), not to '${tenant}'`,
    };
  }
  if (owner === undefined && adoptedFor !== tenant) {
    return {
      refusal: 'unlabelled',
      message:
        `namespace '${namespace}' already exists without the label ${TENANT_OWNER_LABEL}, so it is not known to be ` +
        `tenant '${tenant}''s; label it ${TENANT_OWNER_LABEL}=${tenant}, or adopt it for the tenant in ${TENANT_NAMESPACE_CONFIG.adopt}`,
    };
  }
  return undefined;
}

/**
 * The refusal of a namespace name a tenant request gives (`namespace: …`), or
 * undefined: a DNS-1123 label that is not a cluster system namespace.
 *
 * @public
 */
export function namespaceNameProblem(namespace: string): string | undefined {
  if (!isDns1123Label(namespace))
    return `namespace: must be a DNS-1123 label of at most 63 characters (got ${JSON.stringify(namespace)})`;
  if (isProtectedNamespace(namespace))
    return `namespace: ${PROTECTED_NAMESPACE_RULE} (got ${JSON.stringify(namespace)})`;
  return undefined;
}
