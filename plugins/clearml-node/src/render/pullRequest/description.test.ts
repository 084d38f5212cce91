import MarkdownIt from 'markdown-it';
import { sccGrantCommand } from './commands';
import {
  PullRequestSummary,
  renderPullRequestDescription,
} from './description';

const summary: PullRequestSummary = {
  cluster: 'ocp-prod',
  namespace: 'clearml-acme',
  edition: 'enterprise',
  securityProfile: 'nonroot',
  hosts: {
    api: 'acme-api.example.com',
    files: 'acme-files.example.com',
    web: 'acme-app.example.com',
    appGateway: '*.acme-appgw.example.com',
  },
  sccGrants: [
    {
      scc: 'nonroot-v2',
      serviceAccount: 'clearml-clearml-enterprise-apiserver',
      reason: 'image runs as UID 65532',
    },
    {
      scc: 'privileged',
      serviceAccount: 'clearml-elastic-master',
      reason: 'sysctl init | vm.max_map_count <requested>',
    },
  ],
  deviations: [
    'App gateway Route host is wildcard.acme-appgw.example.com with wildcardPolicy Subdomain, not *.appgw',
  ],
};

const files = ['tenants/acme/routes.yaml', 'tenants/acme/clearml-values.yaml'];

function render(overrides: Partial<PullRequestSummary> = {}) {
  return renderPullRequestDescription({
    tenant: 'acme',
    targetPath: 'tenants/acme',
    files,
    summary: { ...summary, ...overrides },
  });
}

/** Renders like GitHub's Markdown (tables on, raw HTML allowed) and reads the tables back. */
function tables(markdown: string): string[][][] {
  const html = new MarkdownIt({ html: true }).render(markdown);
  return [...html.matchAll(/<table>([\s\S]*?)<\/table>/g)].map(([, t]) =>
    [...t.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map(([, row]) =>
      [...row.matchAll(/<t[hd]>([\s\S]*?)<\/t[hd]>/g)].map(([, cell]) =>
        cell.replace(/<[^>]+>/g, '').trim(),
      ),
    ),
  );
}

describe('renderPullRequestDescription', () => {
  it('lists the images the tenant pulls, the mirror and pull secret, the replaced chart pins with their sources, and the StorageClass', () => {
    const body = render({
      images: {
        registry: 'mirror.example.com/clearml',
        pullSecret: 'clearml-pull',
        references: [
          'mirror.example.com/clearml/bitnamilegacy/mongodb:6.0.10-debian-11-r8',
        ],
        replaced: [
          {
            from: 'docker.io/bitnami/mongodb:6.0.10-debian-11-r8',
            to: 'docker.io/bitnamilegacy/mongodb:6.0.10-debian-11-r8',
            sources: ['https://github.com/bitnami/containers/issues/83267'],
          },
        ],
      },
      storageClassName: 'gp3-csi',
    });
    const section = body.slice(
      body.indexOf('### Images and storage'),
      body.indexOf('### Where these files depart'),
    );
    expect(section).toContain(
      'Every image is pulled through the mirror `mirror.example.com/clearml`',
    );
    expect(section).toContain(
      "Every pod, the agent's task pods included, pulls with the Secret `clearml-pull` in `clearml-acme`.",
    );
    expect(section).toContain(
      '- `mirror.example.com/clearml/bitnamilegacy/mongodb:6.0.10-debian-11-r8`',
    );
    expect(section).toMatch(
      /`docker\.io\/bitnami\/mongodb:6\.0\.10-debian-11-r8` \(the chart's pin\) no longer exists; `docker\.io\/bitnamilegacy\/mongodb:6\.0\.10-debian-11-r8` is pulled instead: https:\/\/github\.com\/bitnami\/containers\/issues\/83267/,
    );
    expect(section).toContain(
      'Every claim (fileserver, mongodb, redis, elasticsearch) names the StorageClass `gp3-csi`.',
    );
    expect(body).toContain(
      '- [ ] The mirror `mirror.example.com/clearml` holds every image listed above',
    );
    expect(render()).not.toContain('### Images and storage');
  });

  it('states tenant, cluster, namespace, edition and security profile', () => {
    const [overview] = tables(render());
    expect(overview.slice(1)).toEqual([
      ['Tenant', 'acme'],
      ['Cluster', 'ocp-prod'],
      ['Namespace', 'clearml-acme'],
      ['Edition', 'Enterprise (enterprise)'],
      ['Security profile', 'nonroot'],
    ]);
  });

  it('lists every host, the app gateway as a wildcard', () => {
    const [, hosts] = tables(render());
    expect(hosts).toEqual([
      ['Component', 'Host', 'URL'],
      ['Web app', 'acme-app.example.com', 'https://acme-app.example.com'],
      ['API server', 'acme-api.example.com', 'https://acme-api.example.com'],
      [
        'File server',
        'acme-files.example.com',
        'https://acme-files.example.com',
      ],
      ['App gateway', '*.acme-appgw.example.com', 'wildcard'],
    ]);
  });

  it('lists each grant with its reason, flags privileged, and keeps a "|" in a reason inside its cell', () => {
    const markdown = render();
    const [, , grants] = tables(markdown);
    expect(grants).toEqual([
      ['SCC', 'ServiceAccount', 'Reason'],
      [
        'nonroot-v2',
        'clearml-clearml-enterprise-apiserver',
        'image runs as UID 65532',
      ],
      [
        '⚠️ privileged',
        'clearml-elastic-master',
        'sysctl init | vm.max_map_count &lt;requested&gt;',
      ],
    ]);
    expect(markdown).toContain('> [!CAUTION]');
    expect(markdown).not.toContain('> [!WARNING]');
  });

  it('flags anyuid grants', () => {
    const markdown = render({
      edition: 'oss',
      securityProfile: 'anyuid',
      sccGrants: [
        {
          scc: 'anyuid',
          serviceAccount: 'clearml-apiserver',
          reason: 'the server image runs as root',
        },
      ],
    });
    expect(tables(markdown)[2][1][0]).toBe('⚠️ anyuid');
    expect(markdown).toContain('> [!WARNING]');
    expect(markdown).not.toContain('[!CAUTION]');
  });

  it('says the default SCC applies when there are no grants, and asks no one to apply any', () => {
    const markdown = render({ sccGrants: [] });
    expect(markdown).toContain(
      "None: every pod runs under the cluster's default `restricted-v2` SCC.",
    );
    expect(markdown).not.toContain('oc adm policy');
  });

  it('lists the departures from the vendor documentation', () => {
    expect(render()).toContain(
      '### Where these files depart from the vendor documentation\n\n- App gateway Route host is wildcard.acme-appgw.example.com',
    );
    expect(render({ deviations: undefined })).toContain(
      '_The render step reported none._',
    );
  });

  it('asks the reviewer to check DNS, TLS and wildcard admission, and who applies the grants', () => {
    const markdown = render();
    const checklist = markdown.split('### Review checklist')[1].split('###')[0];
    expect(checklist).toContain(
      '- [ ] DNS: `acme-api.example.com`, `acme-files.example.com`, `acme-app.example.com`, `*.acme-appgw.example.com`',
    );
    expect(checklist).toContain('- [ ] TLS:');
    expect(checklist).toContain(
      '`spec.routeAdmission.wildcardPolicy: WildcardsAllowed`',
    );
    expect(checklist).toContain(
      `  ${sccGrantCommand(summary.sccGrants[1], 'clearml-acme')}`,
    );
    expect(sccGrantCommand(summary.sccGrants[1], 'clearml-acme')).toBe(
      "oc adm policy add-scc-to-user 'privileged' -z 'clearml-elastic-master' -n 'clearml-acme'",
    );
    // The commands render as one shell block inside the checklist item.
    expect(new MarkdownIt().render(markdown)).toMatch(
      /<pre><code class="language-sh">oc create namespace 'clearml-acme' .*\noc adm policy add-scc-to-user 'nonroot-v2'/,
    );

    const applied = render({ grantsApplied: true });
    expect(applied).not.toContain('oc adm policy');
    expect(applied).toContain('the template ran `clearml:scc:grant`');

    const noGateway = render({
      hosts: { ...summary.hosts, appGateway: undefined },
    });
    expect(noGateway.split('### Review checklist')[1]).not.toContain(
      'wildcardPolicy',
    );
    expect(tables(noGateway)[1]).toHaveLength(4);
  });

  it('lists the files, sorted, in a collapsed section', () => {
    const markdown = render();
    expect(markdown).toContain(
      '<details><summary>2 files in <code>tenants/acme/</code></summary>\n\n- `tenants/acme/clearml-values.yaml`\n- `tenants/acme/routes.yaml`\n\n</details>',
    );
  });

  it('lists the files an update removes', () => {
    const markdown = renderPullRequestDescription({
      tenant: 'acme',
      targetPath: 'tenants/acme',
      files,
      removedFiles: ['tenants/acme/clearml-agent-values.yaml'],
      summary,
    });
    expect(markdown).toContain(
      '</details>\n\n**Removed** (no longer rendered):\n\n- `tenants/acme/clearml-agent-values.yaml`',
    );
    expect(render()).not.toContain('**Removed**');
  });

  it('escapes every user value: no HTML, no Markdown structure, no shell word beyond its quotes', () => {
    const hostile = {
      ...summary,
      cluster: 'ocp</code><img src=x onerror=alert(1)>',
      namespace: "ns'; rm -rf ~; echo '",
      sccGrants: [
        {
          scc: 'anyuid',
          serviceAccount: 'sa; rm -rf ~\n```\n# Approved',
          reason:
            '<script>x</script>\n## Approve now [link](https://evil.example) @platform/admins',
        },
      ],
      deviations: [
        '**bold** _it_ <b>raw</b>\n- [x] checked',
        '# Approved by security',
        '1. first',
      ],
    };
    const markdown = renderPullRequestDescription({
      tenant: 'acme',
      targetPath: 'tenants/acme',
      files,
      summary: hostile,
    });
    const rendered = new MarkdownIt({ html: true }).render(markdown);
    expect(rendered).not.toMatch(/<(img|script|b)[ >]/);
    expect(rendered).not.toContain('<h2>Approve');
    expect(rendered).not.toContain('<a href');
    expect(rendered).not.toContain('<strong>bold');
    expect(rendered.match(/<h1>/g)).toBeNull();
    expect(rendered).not.toContain('<ol>');
    // The command block stays one block, each argument one quoted word.
    const block =
      /<pre><code class="language-sh">([\s\S]*?)<\/code><\/pre>/.exec(
        rendered,
      )![1];
    // The namespace command, then the grant: one line each, nothing escapes its quotes.
    expect(block.trim().split('\n')).toHaveLength(2);
    expect(sccGrantCommand(hostile.sccGrants[0], hostile.namespace)).toBe(
      "oc adm policy add-scc-to-user 'anyuid' -z 'sa; rm -rf ~'$'\\x0a''```'$'\\x0a''# Approved' -n 'ns'\\''; rm -rf ~; echo '\\'''",
    );
  });

  it('is deterministic', () => {
    expect(render()).toBe(render());
  });
});
