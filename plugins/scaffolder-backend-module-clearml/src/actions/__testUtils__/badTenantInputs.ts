/**
 * Tenant inputs both render actions must refuse, each with the field its
 * InputError has to name: the foundation issue's list, and a few neighbours.
 */
export const BAD_TENANT_INPUTS: Array<
  [string, Record<string, unknown>, string]
> = [
  ['a tenant that is not a DNS-1123 label', { tenant: 'Acme_1' }, 'tenant'],
  ['a tenant that starts with a digit', { tenant: '1acme' }, 'tenant'],
  [
    'a tenant longer than 40 characters',
    { tenant: `a${'b'.repeat(40)}` },
    'tenant',
  ],
  ['no tenant', { tenant: undefined }, 'tenant'],
  ['a domain with *', { domain: '*.example.com' }, 'domain'],
  ['a domain with spaces', { domain: 'acme example.com' }, 'domain'],
  ['no domain', { domain: undefined }, 'domain'],
  ['the default namespace', { namespace: 'default' }, 'namespace'],
  ['a kube- namespace', { namespace: 'kube-system' }, 'namespace'],
  ['an openshift- namespace', { namespace: 'openshift-config' }, 'namespace'],
  [
    'a targetPath that leaves the workspace',
    { targetPath: '../elsewhere' },
    'targetPath',
  ],
  [
    'a targetPath that climbs out through a subfolder',
    { targetPath: 'a/../../b' },
    'targetPath',
  ],
  ['an absolute targetPath', { targetPath: '/etc' }, 'targetPath'],
  [
    "'restricted' with the open-source edition",
    { securityProfile: 'restricted' },
    'securityProfile',
  ],
  [
    'the app gateway with the open-source edition',
    { appGateway: { enabled: true } },
    'appGateway.enabled',
  ],
  [
    'a release name with a newline',
    { releaseName: 'clearml\nkind: Secret' },
    'releaseName',
  ],
];
