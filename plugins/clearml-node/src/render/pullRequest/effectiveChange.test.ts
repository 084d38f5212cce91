import MarkdownIt from 'markdown-it';
import { ConfigReader } from '@backstage/config';
import {
  resolveTenant,
  TenantInput,
  tenantGitopsPath,
} from '@clearml-openshift/plugin-clearml-common';
import { readArgocdSettings } from '../../gitops/argocdConfig';
import { readChartsSettings } from '../../charts/chartsConfig';
import { tenantCharts } from '../../charts/tenantCharts';
import { renderGitopsFiles } from '../argocd';
import { renderRoutes } from '../routes';
import { renderTenantValues } from '../values';
import { effectiveChange, isEmptyChange } from './effectiveChange';
import {
  renderEffectiveChange,
  summarizeEffectiveChange,
} from './effectiveChangeMarkdown';

const config = new ConfigReader({ clearml: {} });
const base: TenantInput = {
  tenant: 'acme',
  domain: 'acme.apps.ocp.example.com',
  securityProfile: 'anyuid',
};

/** The tenant's directory as the creation actions render it, by repository path. */
function directory(input: Partial<TenantInput> = {}): Map<string, string> {
  const tenant = resolveTenant({ ...base, ...input });
  const gitopsPath = tenantGitopsPath(tenant.tenant);
  const routes = renderRoutes(tenant);
  const files = [
    ...renderTenantValues(tenant).files,
    ...(routes.file ? [routes.file] : []),
    ...renderGitopsFiles({
      tenant,
      cluster: 'ocp',
      charts: tenantCharts(tenant, readChartsSettings(config)),
      settings: readArgocdSettings(config),
      repoURL: 'https://github.com/platform/gitops.git',
      gitopsPath,
      kubernetesVersion: '1.32.5',
    }).files,
  ];
  return new Map(files.map(f => [`${gitopsPath}/${f.path}`, f.content]));
}

describe('effectiveChange', () => {
  it('the same files: nothing changes', () => {
    const change = effectiveChange(directory(), directory());
    expect(isEmptyChange(change)).toBe(true);
    expect(change.values).toEqual([]);
    expect(change.objects).toEqual({ created: [], updated: [], pruned: [] });
  });

  it('agent on and a tier up: the agent release installed, its grant added, the sizes changed', () => {
    const change = effectiveChange(
      directory(),
      directory({ agent: { enabled: true, queue: 'gpu' }, tier: 'medium' }),
    );
    expect(change.files.added).toEqual([
      'tenants/acme/clearml-agent-values.yaml',
    ]);
    expect(change.files.removed).toEqual([]);
    expect(change.files.modified).toEqual(
      expect.arrayContaining([
        'tenants/acme/applications.yaml',
        'tenants/acme/clearml-values.yaml',
        'tenants/acme/isolation.yaml',
        'tenants/acme/scc-grants.yaml',
      ]),
    );
    // The agent's Application is new: its chart's release is installed.
    expect(change.releases.installed).toEqual([
      expect.objectContaining({
        application: 'clearml-acme-agent',
        chart: 'clearml-agent',
        valuesFile: 'clearml-agent-values.yaml',
        finalizer: true,
      }),
    ]);
    expect(change.objects.created).toContainEqual({
      kind: 'Application',
      name: 'clearml-acme-agent',
      namespace: 'openshift-gitops',
    });
    expect(change.releases.deleted).toEqual([]);
    // Its ServiceAccount gets the edition's grant.
    expect(change.grants.removed).toEqual([]);
    expect(change.grants.added).toEqual([
      expect.objectContaining({ scc: 'anyuid', namespace: 'clearml-acme' }),
    ]);
    // The agent's values file is new: every key added, the queue among them.
    const agent = change.values.find(
      v => v.file === 'tenants/acme/clearml-agent-values.yaml',
    )!;
    expect(agent.removed).toEqual([]);
    expect(agent.changed).toEqual([]);
    expect(agent.added.find(k => k.key === 'agentk8sglue.queue')).toEqual({
      key: 'agentk8sglue.queue',
      after: 'gpu',
    });
    // The tier: the server's sizes change, old → new.
    const server = change.values.find(
      v => v.file === 'tenants/acme/clearml-values.yaml',
    )!;
    expect(server.release).toBe('clearml');
    expect(server.changed.length).toBeGreaterThan(0);
    for (const key of server.changed) {
      expect(key.before).not.toEqual(key.after);
    }
    // The quota is updated in place.
    expect(change.objects.updated).toContainEqual({
      kind: 'ResourceQuota',
      name: expect.any(String),
      namespace: 'clearml-acme',
    });
  });

  it('agent off again: its release deleted, its grant removed, its values file removed', () => {
    const change = effectiveChange(
      directory({ agent: { enabled: true } }),
      directory(),
    );
    expect(change.files.removed).toEqual([
      'tenants/acme/clearml-agent-values.yaml',
    ]);
    expect(change.releases.deleted).toEqual([
      expect.objectContaining({ application: 'clearml-acme-agent' }),
    ]);
    expect(change.objects.pruned).toContainEqual(
      expect.objectContaining({
        kind: 'Application',
        name: 'clearml-acme-agent',
      }),
    );
    expect(change.grants.added).toEqual([]);
    expect(change.grants.removed).toHaveLength(1);
  });

  it('Routes to ingress: the Routes pruned, the ingress keys added', () => {
    const change = effectiveChange(
      directory(),
      directory({ exposure: 'ingress' }),
    );
    expect(change.files.removed).toContain('tenants/acme/routes.yaml');
    expect(change.objects.pruned.map(o => o.kind)).toContain('Route');
    const server = change.values.find(
      v => v.file === 'tenants/acme/clearml-values.yaml',
    )!;
    expect(
      [...server.added, ...server.changed].some(k =>
        /ingress\.enabled$/.test(k.key),
      ),
    ).toBe(true);
  });

  it('values keys: dotted paths, odd keys quoted, lists whole, credentials never shown', () => {
    const files = (values: string) =>
      new Map([['tenants/acme/clearml-values.yaml', values]]);
    const change = effectiveChange(
      files(
        'a: { b: 1, list: [1, 2] }\nannotations: { "route.openshift.io/x": "y" }\nauth: { adminPassword: hunter2 }\n',
      ),
      files(
        'a: { b: 2, list: [1, 2, 3], c: true }\nannotations: {}\nauth: { adminPassword: s3cret }\n',
      ),
    );
    const [values] = change.values;
    expect(values.added).toEqual([{ key: 'a.c', after: 'true' }]);
    expect(values.removed).toEqual([
      { key: 'annotations["route.openshift.io/x"]', before: 'y' },
    ]);
    expect(values.changed).toEqual([
      { key: 'a.b', before: '1', after: '2' },
      { key: 'a.list', before: '[1,2]', after: '[1,2,3]' },
      { key: 'auth.adminPassword', hidden: true },
    ]);
    const markdown = renderEffectiveChange(change);
    expect(markdown).not.toContain('hunter2');
    expect(markdown).not.toContain('s3cret');
    expect(markdown).toContain('_not shown (a credential)_');
  });

  it('renders a section a reviewer reads, and text from the files never becomes Markdown or HTML', () => {
    const evil = 'q` <img src=x onerror=alert(1)> [link](https://evil) |';
    const change = effectiveChange(
      directory(),
      directory({ agent: { enabled: true, queue: 'gpu' }, tier: 'medium' }),
    );
    change.values[0].added.push({ key: evil, after: evil });
    const markdown = renderEffectiveChange(change);
    expect(markdown).toContain('### Effective change');
    expect(markdown).toContain(
      '- added: `tenants/acme/clearml-agent-values.yaml`',
    );
    expect(markdown).toMatch(
      /Application `clearml-acme-agent` is new: Argo CD installs `clearml-agent [\d.]+` as release `[a-z-]+`/,
    );
    expect(markdown).toContain('**Added** (RoleBindings in `scc-grants.yaml`');
    expect(markdown).toContain('| create | `Application/clearml-acme-agent` |');
    const html = new MarkdownIt().render(markdown);
    expect(html).not.toMatch(/<img|<a /);
    expect(summarizeEffectiveChange(change)).toEqual([
      expect.stringMatching(/^files: 1 added, 0 removed, \d+ modified$/),
      expect.stringMatching(/^values: \d+ keys in 2 files$/),
      'SCC grants: 1 added, 0 removed',
      expect.stringMatching(/^objects: \d+ created, \d+ updated, 0 pruned$/),
      'releases: 1 installed, 0 deleted',
    ]);
  });
});
