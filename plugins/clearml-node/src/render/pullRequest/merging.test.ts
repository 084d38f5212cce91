import MarkdownIt from 'markdown-it';
import type { GitopsDeploymentSummary } from '../argocd/summary';
import {
  PullRequestSummary,
  renderPullRequestDescription,
} from './description';

const summary: PullRequestSummary = {
  cluster: 'ocp-next',
  namespace: 'clearml-acme',
  edition: 'oss',
  securityProfile: 'anyuid',
  hosts: {
    api: 'acme-api.example.com',
    files: 'acme-files.example.com',
    web: 'acme-app.example.com',
  },
  sccGrants: [
    {
      scc: 'anyuid',
      serviceAccount: 'clearml-apiserver',
      reason: 'the image runs as root',
    },
  ],
};

const gitops: GitopsDeploymentSummary = {
  render: 'applications',
  argocdNamespace: 'openshift-gitops',
  releases: [
    {
      application: 'clearml-acme-server',
      release: 'clearml',
      chart: 'clearml',
      version: '7.14.4',
    },
    {
      application: 'clearml-acme-agent',
      release: 'clearml-agent',
      chart: 'clearml-agent',
      version: '5.3.2',
    },
  ],
  kubernetesVersion: '1.33.1',
  kubeVersionOverride: '1.32.0',
  grantBindings: ['system:openshift:scc:anyuid'],
};

function render(overrides: Partial<PullRequestSummary>) {
  return renderPullRequestDescription({
    tenant: 'acme',
    targetPath: 'tenants/acme',
    files: ['tenants/acme/applications.yaml'],
    summary: { ...summary, ...overrides },
  });
}

function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`### ${heading}`);
  return start < 0
    ? ''
    : markdown.slice(start, markdown.indexOf('\n### ', start + 4));
}

describe('the description says what merging does', () => {
  it('lists the Applications, the steps in sync-wave order and the kubeVersion override, and asks about the risk', () => {
    const markdown = render({ gitops });
    expect(markdown).toContain('Merging it deploys the tenant');
    const merging = section(markdown, 'What merging does');
    expect(
      merging
        .split('\n')
        .filter(l => /^\d\. /.test(l))
        .map(l => l.slice(0, 2)),
    ).toEqual(['1.', '2.', '3.', '4.']);
    expect(merging).toMatch(/1\. Namespace `clearml-acme`.*sync wave -2/);
    expect(merging).toMatch(
      /2\. SCC RoleBindings `system:openshift:scc:anyuid`.*wave -1/,
    );
    expect(merging).toMatch(/4\. The Routes \(`routes\.yaml`, wave 1\)/);
    const html = new MarkdownIt().render(merging);
    expect(html).toContain('<td><code>clearml-acme-agent</code></td>');
    expect(merging).toContain(
      "The charts refuse the cluster's Kubernetes `1.33.1`: Argo CD renders them for `1.32.0` (`helm.kubeVersion`)",
    );
    const checklist = section(markdown, 'Review checklist');
    expect(checklist).toContain(
      '- [ ] The `helm.kubeVersion` override and its risk',
    );
    expect(checklist).toContain(
      'The SCC grants above are in `scc-grants.yaml`: merging applies them.',
    );
  });

  it("with render: plain, says the team's ApplicationSet deploys the directory; without gitops, that a controller needs its own Application", () => {
    const plain = section(
      render({
        gitops: {
          ...gitops,
          render: 'plain',
          kubeVersionOverride: undefined,
          kubernetesVersion: '1.32.5',
          releases: [
            { release: 'clearml', chart: 'clearml', version: '7.14.4' },
          ],
        },
      }),
      'What merging does',
    );
    expect(plain).toContain('your ApplicationSet deploys this directory');
    expect(plain).toContain(
      "The charts accept the cluster's Kubernetes `1.32.5`.",
    );
    const none = render({});
    expect(none).toContain(
      'a GitOps controller needs its own Application for them',
    );
    expect(section(none, 'What merging does')).toBe('');
  });
});
