import MarkdownIt from 'markdown-it';
import { DEFAULT_TIERS } from '@clearml-openshift/plugin-clearml-common';
import { changePullRequestTitle, renderChangeDescription } from './change';
import { claimResizes } from './claimResize';
import { effectiveChange } from './effectiveChange';

const GRANTS = (accounts: string[]) =>
  `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: 'system:openshift:scc:anyuid', namespace: clearml-acme }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: 'system:openshift:scc:anyuid' }
subjects: [${accounts.map(a => `{ kind: ServiceAccount, name: ${a}, namespace: clearml-acme }`).join(', ')}]
`;

function input(overrides: Record<string, unknown> = {}) {
  const change = effectiveChange(
    new Map([['tenants/acme/scc-grants.yaml', GRANTS(['clearml-apiserver'])]]),
    new Map([
      [
        'tenants/acme/scc-grants.yaml',
        GRANTS(['clearml-apiserver', 'clearml-agent-sa']),
      ],
    ]),
  );
  return {
    tenant: 'acme',
    entityRef: 'resource:default/acme',
    cluster: 'ocp',
    namespace: 'clearml-acme',
    targetPath: 'tenants/acme',
    defaultBranch: 'main',
    settings: [
      { field: 'agent.enabled', before: 'false', after: 'true' },
      { field: 'tier', before: 'small', after: 'medium' },
    ],
    change,
    claimResizes: claimResizes(DEFAULT_TIERS[0], DEFAULT_TIERS[1]),
    sccGrants: [
      {
        scc: 'anyuid',
        serviceAccount: 'clearml-agent-sa',
        reason: 'the agent image runs as root',
      },
    ],
    catalogInfoChanged: false,
    requestedBy: 'user:default/mock',
    ...overrides,
  };
}

describe('the change pull request', () => {
  it('title names the tenant and what changes', () => {
    expect(changePullRequestTitle('acme', ['agent on', 'tier medium'])).toBe(
      'Change ClearML tenant acme: agent on, tier medium',
    );
  });

  it('description: settings, effective change, storage, the added grant with its reason and command', () => {
    const body = renderChangeDescription(input());
    expect(body).toContain('## Change ClearML tenant `acme`');
    expect(body).toContain('| `tier` | `small` | `medium` |');
    expect(body).toContain('### Effective change');
    expect(body).toContain(
      '- SCC `anyuid` for ServiceAccount `clearml-agent-sa` in `clearml-acme`',
    );
    expect(body).toContain(
      '`anyuid` → `clearml-agent-sa`: the agent image runs as root',
    );
    expect(body).toContain(
      "oc adm policy add-scc-to-user 'anyuid' -z 'clearml-agent-sa' -n 'clearml-acme'",
    );
    expect(body).toContain('### Storage');
    expect(body).not.toContain('### The catalog entity');
    expect(
      renderChangeDescription(input({ catalogInfoChanged: true })),
    ).toContain('unregister `resource:default/acme` in the catalog');
  });

  it('the reason is text: no HTML, link, heading or mention from it', () => {
    const body = renderChangeDescription(
      input({
        reason:
          '# Heading\n<img src=x onerror=alert(1)> [click](https://evil.example) @platform-admins',
      }),
    );
    const html = new MarkdownIt().render(body);
    expect(html).not.toMatch(/<img|<a |<h1/);
    expect(body).toContain('Reason: \\# Heading');
    expect(body).toContain('\\@platform-admins');
  });
});
