import { InputError } from '@backstage/errors';
import { resolveTenant, TenantInput } from './tenant';
import { DEFAULT_TIERS } from './tiers';
import { resolveTiers } from './tierConfig';

const base = { tenant: 'acme', domain: 'acme.clearml.apps.ocp.example.com' };

function refusal(input: TenantInput): InputError {
  try {
    resolveTenant(input);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected the tenant to be refused');
}

describe('resolveTenant', () => {
  it('applies the defaults of the tenant model', () => {
    expect(resolveTenant(base)).toEqual({
      tenant: 'acme',
      namespace: 'clearml-acme',
      domain: 'acme.clearml.apps.ocp.example.com',
      edition: 'oss',
      releaseName: 'clearml',
      securityProfile: 'anyuid',
      exposure: 'route',
      agent: { enabled: false, queue: 'default' },
      appGateway: { enabled: false },
      elasticsearchSysctlInit: false,
      tier: DEFAULT_TIERS[0],
      targetPath: '.',
    });
  });

  it('resolves the tier against the platform tiers, naming the field when it is not one', () => {
    const tiers = resolveTiers([{ name: 'gpu', taskPods: { count: 1 } }]);
    expect(
      resolveTenant({ ...base, tier: 'gpu' }, { tiers }).tier,
    ).toMatchObject({ name: 'gpu', taskPods: { count: 1 } });
    expect(() => resolveTenant({ ...base, tier: 'small' }, { tiers })).toThrow(
      'tier: must be one of \'gpu\' (the tiers in clearml.tiers; got "small")',
    );
  });

  it('defaults enterprise tenants to the restricted profile', () => {
    expect(
      resolveTenant({ ...base, edition: 'enterprise' }).securityProfile,
    ).toBe('restricted');
  });

  it('normalises targetPath inside the workspace', () => {
    expect(
      resolveTenant({ ...base, targetPath: './out//tenant/' }).targetPath,
    ).toBe('out/tenant');
    expect(resolveTenant({ ...base, targetPath: 'a/../b' }).targetPath).toBe(
      'b',
    );
  });

  it.each([
    ['tenant', { tenant: 'Acme' }],
    ['tenant', { tenant: '1acme' }],
    ['tenant', { tenant: 'acme_corp' }],
    ['tenant', { tenant: `a${'b'.repeat(40)}` }],
    ['tenant', { tenant: undefined }],
    ['domain', { domain: '*.apps.example.com' }],
    ['domain', { domain: 'apps example.com' }],
    ['domain', { domain: undefined }],
    ['namespace', { namespace: 'default' }],
    ['namespace', { namespace: 'openshift' }],
    ['namespace', { namespace: 'kube-system' }],
    ['namespace', { namespace: 'openshift-config' }],
    ['namespace', { namespace: 'Bad_NS' }],
    ['targetPath', { targetPath: '../outside' }],
    ['targetPath', { targetPath: 'a/../../outside' }],
    ['targetPath', { targetPath: '/etc' }],
    ['securityProfile', { securityProfile: 'restricted' }],
    ['securityProfile', { securityProfile: 'privileged' }],
    ['appGateway.enabled', { appGateway: { enabled: true } }],
    ['releaseName', { releaseName: 'clearml\nkind: Secret' }],
    ['releaseName', { releaseName: 'x'.repeat(54) }],
    ['edition', { edition: 'community' }],
    ['exposure', { exposure: 'nodeport' }],
    ['ingressClassName', { ingressClassName: 'nginx' }],
    ['agent.queue', { agent: { enabled: true, queue: 'bad queue' } }],
  ])('refuses a bad %s with an InputError that names it', (field, override) => {
    const error = refusal({ ...base, ...override } as TenantInput);
    expect(error.message).toContain(`${field}:`);
  });

  it('explains why restricted is refused for the open-source edition', () => {
    expect(refusal({ ...base, securityProfile: 'restricted' }).message).toMatch(
      /runs as root/,
    );
  });

  it('lists every bad field at once', () => {
    const message = refusal({
      tenant: 'Bad',
      domain: 'a b',
      namespace: 'default',
    }).message;
    expect(message).toContain('tenant:');
    expect(message).toContain('domain:');
    expect(message).toContain('namespace:');
  });

  it('accepts ingress settings in ingress mode', () => {
    const tenant = resolveTenant({
      ...base,
      exposure: 'ingress',
      ingressClassName: 'openshift-default',
      tlsSecretName: 'acme-tls',
    });
    expect(tenant).toMatchObject({
      exposure: 'ingress',
      ingressClassName: 'openshift-default',
      tlsSecretName: 'acme-tls',
    });
  });
});
