/**
 * Which namespaces' objects the shared view holds: those labelled for a
 * tenant (clear.ml/tenant) and those adopted in `clearml.tenants.adopt`; when
 * the token may not list namespaces, those matching
 * `clearml.tenants.namespacePattern` instead.
 */
import {
  TENANT_OWNER_LABEL,
  TenantNamespacePolicy,
  matchesNamespacePattern,
} from '@clearml-openshift/plugin-clearml-common';

export class HeldNamespaces {
  /** Tenant namespaces now held (labelled or adopted). */
  private readonly held = new Set<string>();
  private readonly adopted: Set<string>;

  constructor(private readonly policy: TenantNamespacePolicy) {
    this.adopted = new Set(policy.adopt.map(a => a.namespace));
    for (const namespace of this.adopted) this.held.add(namespace);
  }

  /** Whether objects in the namespace are held; by the pattern when the namespaces cannot be listed. */
  holds(namespace: string, namespacesUnavailable: boolean): boolean {
    if (namespacesUnavailable)
      return (
        this.adopted.has(namespace) ||
        matchesNamespacePattern(this.policy.namespacePattern, namespace)
      );
    return this.held.has(namespace);
  }

  /**
   * Follows the cluster's Namespaces (as listed): those to fill (newly labelled for a tenant) and to drop (no longer
   * labelled nor adopted).
   */
  follow(namespaces: any[]): { added: string[]; dropped: string[] } {
    const labelled = new Set<string>(
      namespaces
        .filter(n => n.metadata?.labels?.[TENANT_OWNER_LABEL] !== undefined)
        .map(n => n.metadata.name),
    );
    const dropped = [...this.held].filter(
      namespace => !labelled.has(namespace) && !this.adopted.has(namespace),
    );
    for (const namespace of dropped) this.held.delete(namespace);
    const added = [...labelled].filter(namespace => !this.held.has(namespace));
    for (const namespace of added) this.held.add(namespace);
    return { added, dropped };
  }

  /** Not held after all (its fill failed): `follow` returns it as added again. */
  forget(namespace: string): void {
    this.held.delete(namespace);
  }
}
