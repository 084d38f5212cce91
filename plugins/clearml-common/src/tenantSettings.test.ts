import yaml from 'js-yaml';
import { resolveTenant } from './tenant';
import { parseTenantSettings } from './tenantSettingsParse';
import {
  renderTenantSettings,
  tenantInputOfSettings,
  TenantSettings,
  tenantSettingsOf,
} from './tenantSettings';

const settings: TenantSettings = {
  tenant: 'acme',
  owner: 'group:default/ml-team',
  description: 'Experiments: "vision" # not a comment\nsecond line',
  cluster: 'ocp-prod',
  namespace: 'clearml-acme',
  domain: 'clearml-acme.apps.ocp.example.com',
  edition: 'enterprise',
  releaseName: 'clearml',
  securityProfile: 'restricted',
  exposure: 'ingress',
  ingressClassName: 'openshift-default',
  tlsSecretName: 'acme-tls',
  storageClassName: 'gp3-csi',
  agent: { enabled: true, queue: 'gpu' },
  appGateway: { enabled: true },
  tier: 'medium',
  repoUrl: 'github.com?owner=platform&repo=gitops',
};

/** The record with `spec` changed by `edit`, as text. */
function edited(edit: (spec: Record<string, any>) => void): string {
  const document = yaml.load(renderTenantSettings(settings)) as any;
  edit(document.spec);
  return yaml.dump(document);
}

function problemsOf(text: string): string[] {
  const parsed = parseTenantSettings(text);
  if (!('problems' in parsed)) throw new Error('expected problems');
  return parsed.problems;
}

describe('the tenant settings record', () => {
  it('is a versioned document under a comment saying how it changes, and reads back as written', () => {
    const text = renderTenantSettings(settings);
    expect(text.split('\n').slice(0, 3).join('\n')).toMatch(
      /^# Settings of ClearML tenant 'acme'.*\n# .*"Change ClearML tenant" template, not by\n# hand\. Data only: Argo CD never applies this file\.$/,
    );
    const document = yaml.load(text) as any;
    expect([document.apiVersion, document.kind]).toEqual([
      'clear.ml/v1alpha1',
      'TenantSettings',
    ]);
    expect(document.spec).toEqual(settings);
    expect(parseTenantSettings(text)).toEqual({ settings });
    // Rendering what was read gives the same bytes: a re-render does not churn the file.
    expect(
      renderTenantSettings(
        (parseTenantSettings(text) as { settings: TenantSettings }).settings,
      ),
    ).toBe(text);
  });

  it('is written in one field order whatever order it was built in, and leaves out empty optional fields', () => {
    const reversed = Object.fromEntries(
      Object.entries({ ...settings, description: '' }).reverse(),
    ) as unknown as TenantSettings;
    const keys = Object.keys(
      (yaml.load(renderTenantSettings(reversed)) as any).spec,
    );
    expect(keys).toEqual([
      'tenant',
      'owner',
      'cluster',
      'namespace',
      'domain',
      'edition',
      'releaseName',
      'securityProfile',
      'exposure',
      'ingressClassName',
      'tlsSecretName',
      'storageClassName',
      'agent',
      'appGateway',
      'tier',
      'repoUrl',
    ]);
  });

  it('is built from the resolved tenant and its owner, and stands for the same tenant request', () => {
    const tenant = resolveTenant(
      {
        tenant: 'beta',
        domain: 'clearml-beta.apps.ocp.example.com',
        agent: { enabled: false },
        storageClassName: 'gp3-csi',
      },
      {},
    );
    const record = tenantSettingsOf(tenant, {
      owner: 'ml-team',
      cluster: 'ocp-prod',
      repoUrl: 'git.local?owner=platform&repo=gitops',
    });
    expect(record).toEqual({
      tenant: 'beta',
      owner: 'group:default/ml-team',
      cluster: 'ocp-prod',
      namespace: 'clearml-beta',
      domain: 'clearml-beta.apps.ocp.example.com',
      edition: 'oss',
      releaseName: 'clearml',
      securityProfile: 'anyuid',
      exposure: 'route',
      storageClassName: 'gp3-csi',
      agent: { enabled: false, queue: 'default' },
      appGateway: { enabled: false },
      tier: 'small',
      repoUrl: 'git.local?owner=platform&repo=gitops',
    });
    expect(resolveTenant(tenantInputOfSettings(record))).toEqual(tenant);
    expect(() =>
      tenantSettingsOf(tenant, {
        owner: 'component:default/x',
        cluster: 'Not A Cluster',
        repoUrl: 'https://github.com/platform/gitops',
      }),
    ).toThrow(
      /owner: must be an entity reference of a Group or User.*cluster: must be a cluster name.*repoUrl: must be a repository/,
    );
  });

  it.each([
    ['spec.tenant', (s: any) => (s.tenant = 'Acme!')],
    ['spec.owner', (s: any) => (s.owner = 'component:default/evil')],
    ['spec.description', (s: any) => (s.description = 'x'.repeat(1001))],
    ['spec.cluster', (s: any) => (s.cluster = '../ocp')],
    ['spec.namespace', (s: any) => (s.namespace = 'kube-system')],
    ['spec.domain', (s: any) => (s.domain = 'not a domain')],
    ['spec.edition', (s: any) => (s.edition = 'premium')],
    ['spec.releaseName', (s: any) => (s.releaseName = 'x'.repeat(54))],
    ['spec.securityProfile', (s: any) => (s.securityProfile = 'privileged')],
    [
      'spec.securityProfile',
      (s: any) =>
        Object.assign(s, { edition: 'oss', appGateway: { enabled: false } }),
    ],
    ['spec.exposure', (s: any) => (s.exposure = 'nodeport')],
    ['spec.ingressClassName', (s: any) => (s.exposure = 'route')],
    ['spec.storageClassName', (s: any) => (s.storageClassName = 'Bad_Class')],
    ['spec.agent.enabled', (s: any) => (s.agent.enabled = 'yes')],
    ['spec.agent.queue', (s: any) => (s.agent.queue = 'a queue; rm -rf')],
    ['spec.agent.queue', (s: any) => delete s.agent.queue],
    ['spec.agent.image', (s: any) => (s.agent.image = 'evil:latest')],
    ['spec.appGateway.enabled', (s: any) => (s.edition = 'oss')],
    ['spec.tier', (s: any) => (s.tier = 'Huge Tier')],
    ['spec.repoUrl', (s: any) => (s.repoUrl = 'github.com?owner=../x&repo=y')],
    ['spec.repoUrl', (s: any) => delete s.repoUrl],
    ['spec.values', (s: any) => (s.values = { server: { privileged: true } })],
    ['spec.targetPath', (s: any) => (s.targetPath = '../../etc')],
  ])('refuses a record with a bad %s, naming it', (field, edit) => {
    const problems = problemsOf(edited(edit));
    expect(problems).toContainEqual(
      expect.stringMatching(`^${field.replace(/\./g, '\\.')}: `),
    );
  });

  it('names a missing field once, and refuses what is not a settings document', () => {
    expect(problemsOf(edited(s => delete s.tenant))).toEqual([
      'spec.tenant: is required',
    ]);
    expect(problemsOf('apiVersion: v1\nkind: Secret\nspec: {}\n')).toEqual(
      expect.arrayContaining([
        'apiVersion: must be clear.ml/v1alpha1 (got "v1")',
        'kind: must be TenantSettings (got "Secret")',
        'spec.owner: is required',
      ]),
    );
    expect(
      problemsOf('apiVersion: clear.ml/v1alpha1\nkind: TenantSettings\n'),
    ).toEqual(["spec: must be a mapping of the tenant's settings"]);
    expect(problemsOf('- a\n- b\n')[0]).toMatch(
      /^tenant-settings.yaml: must be one YAML mapping/,
    );
    expect(problemsOf('a: [\n')[0]).toMatch(
      /^tenant-settings.yaml: is not valid YAML/,
    );
    expect(problemsOf('a: 1\n---\nb: 2\n')[0]).toMatch(
      /^tenant-settings.yaml: is not valid YAML/,
    );
    expect(problemsOf(`# ${'x'.repeat(70_000)}\n`)[0]).toMatch(
      /^tenant-settings.yaml: must be YAML text of at most/,
    );
    // Only YAML's core types are read: a tag such as !!binary or !!js/function is refused, never turned into an object.
    expect(
      problemsOf(
        renderTenantSettings(settings).replace(
          'tier: medium',
          'tier: !!binary aGk=',
        ),
      )[0],
    ).toMatch(/^tenant-settings.yaml: is not valid YAML \(unknown tag/);
  });
});
