/**
 * Bearer tokens and what they may do, checked the way Kubernetes RBAC does:
 * a request is allowed when one PolicyRule matches its verb, API group,
 * resource (with subresource, `deployments/status`), and name.
 */

export interface PolicyRule {
  verbs: string[];
  apiGroups: string[];
  resources: string[];
  resourceNames?: string[];
  /** Limits the rule to these namespaces (as a RoleBinding would); absent = cluster-wide. */
  namespaces?: string[];
}

export interface TokenGrant {
  /** Name shown in the request log (the token itself never is). */
  name: string;
  token: string;
  /** The user the API server reports in Forbidden messages; default `system:serviceaccount:backstage:<name>`. */
  user?: string;
  rules: PolicyRule[];
}

/** What `view`-like credentials may do: read everything. */
export const READ_ONLY_RULES: PolicyRule[] = [
  { verbs: ['get', 'list', 'watch'], apiGroups: ['*'], resources: ['*'] },
];

/** cluster-admin. */
export const ALL_RULES: PolicyRule[] = [
  { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
];

export interface Attributes {
  verb: string;
  apiGroup: string;
  /** `rolebindings` or `deployments/status`. */
  resource: string;
  name?: string;
  namespace?: string;
}

function matches(values: string[] | undefined, value: string): boolean {
  return !!values && (values.includes('*') || values.includes(value));
}

export function ruleAllows(rule: PolicyRule, a: Attributes): boolean {
  if (
    rule.namespaces &&
    (!a.namespace || !rule.namespaces.includes(a.namespace))
  )
    return false;
  if (
    !matches(rule.verbs, a.verb) ||
    !matches(rule.apiGroups, a.apiGroup) ||
    !matches(rule.resources, a.resource)
  ) {
    return false;
  }
  // resourceNames never match collection requests (list, create), as in RBAC.
  if (rule.resourceNames && rule.resourceNames.length > 0) {
    return !!a.name && rule.resourceNames.includes(a.name);
  }
  return true;
}

export function allows(rules: PolicyRule[], a: Attributes): boolean {
  return rules.some(rule => ruleAllows(rule, a));
}

export function userOf(grant: TokenGrant): string {
  return grant.user ?? `system:serviceaccount:backstage:${grant.name}`;
}

/**
 * The rules of `role` the holder of `rules` does not hold itself, in the
 * `{APIGroups:[…], Resources:[…], …}` form the API server prints when it
 * refuses an escalation.
 */
export function rulesNotHeld(
  rules: PolicyRule[],
  role: PolicyRule[],
  namespace: string | undefined,
): string[] {
  const missing: string[] = [];
  for (const r of role) {
    const names =
      r.resourceNames && r.resourceNames.length > 0
        ? r.resourceNames
        : [undefined];
    const held = r.verbs.every(verb =>
      r.apiGroups.every(apiGroup =>
        r.resources.every(resource =>
          names.every(name =>
            allows(rules, { verb, apiGroup, resource, name, namespace }),
          ),
        ),
      ),
    );
    if (!held) {
      const q = (xs: string[]) =>
        `[${xs.map(x => JSON.stringify(x)).join(' ')}]`;
      missing.push(
        `{APIGroups:${q(r.apiGroups)}, Resources:${q(r.resources)}${r.resourceNames?.length ? `, ResourceNames:${q(r.resourceNames)}` : ''}, Verbs:${q(r.verbs)}}`,
      );
    }
  }
  return missing;
}
