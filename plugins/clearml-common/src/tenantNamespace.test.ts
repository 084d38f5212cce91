import {
  DEFAULT_TENANT_NAMESPACE_POLICY,
  isNamespacePattern,
  matchesNamespacePattern,
  tenantNamespaceProblem,
  TENANT_OWNER_LABEL,
} from '.';

const owned = (tenant: string) => ({
  labels: { [TENANT_OWNER_LABEL]: tenant },
});

describe('the tenant namespace rule', () => {
  it('matches globs of namespace characters', () => {
    expect(matchesNamespacePattern('clearml-*', 'clearml-acme')).toBe(true);
    expect(matchesNamespacePattern('clearml-*', 'payments')).toBe(false);
    expect(matchesNamespacePattern('clearml-*', 'xclearml-acme')).toBe(false);
    expect(matchesNamespacePattern('team-*-ml', 'team-a-ml')).toBe(true);
    expect(matchesNamespacePattern('team-*-ml', 'team-a-ml-x')).toBe(false);
    expect(isNamespacePattern('clearml-*')).toBe(true);
    expect(isNamespacePattern('clearml-.*')).toBe(false);
  });

  it("accepts the tenant's own namespace, new or labelled for it", () => {
    expect(
      tenantNamespaceProblem(
        DEFAULT_TENANT_NAMESPACE_POLICY,
        'acme',
        'clearml-acme',
        undefined,
      ),
    ).toBeUndefined();
    expect(
      tenantNamespaceProblem(
        DEFAULT_TENANT_NAMESPACE_POLICY,
        'acme',
        'clearml-acme',
        owned('acme'),
      ),
    ).toBeUndefined();
  });

  it("refuses system namespaces, namespaces outside the pattern and other tenants' namespaces, naming the rule", () => {
    const policy = DEFAULT_TENANT_NAMESPACE_POLICY;
    expect(
      tenantNamespaceProblem(policy, 'acme', 'kube-system', undefined)?.refusal,
    ).toBe('protected');
    expect(
      tenantNamespaceProblem(policy, 'acme', 'payments', owned('acme')),
    ).toEqual({
      refusal: 'pattern',
      message:
        "namespace 'payments' does not match the tenant namespace pattern 'clearml-*' (clearml.tenants.namespacePattern)",
    });
    expect(
      tenantNamespaceProblem(policy, 'acme', 'clearml-vision', owned('vision')),
    ).toEqual({
      refusal: 'other-tenant',
      message:
        "namespace 'clearml-vision' belongs to tenant 'vision' (label clear.ml/tenant=vision), not to 'acme'",
    });
    expect(
      tenantNamespaceProblem(policy, 'acme', 'clearml-acme', { labels: {} })
        ?.message,
    ).toContain('already exists without the label clear.ml/tenant');
  });

  it('lets config adopt an unlabelled namespace for one tenant only', () => {
    const policy = {
      namespacePattern: 'clearml-*',
      adopt: [{ namespace: 'clearml-legacy', tenant: 'acme' }],
    };
    expect(
      tenantNamespaceProblem(policy, 'acme', 'clearml-legacy', { labels: {} }),
    ).toBeUndefined();
    expect(
      tenantNamespaceProblem(policy, 'vision', 'clearml-legacy', { labels: {} })
        ?.refusal,
    ).toBe('adopted-for-other-tenant');
    expect(
      tenantNamespaceProblem(policy, 'vision', 'clearml-legacy', undefined)
        ?.refusal,
    ).toBe('adopted-for-other-tenant');
    // A label naming another tenant wins over adoption.
    expect(
      tenantNamespaceProblem(policy, 'acme', 'clearml-legacy', owned('vision'))
        ?.refusal,
    ).toBe('other-tenant');
  });
});
