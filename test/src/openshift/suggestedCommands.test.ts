/**
 * Honest instructions: every `oc` command the pull request's description
 * suggests works at the moment it is suggested. Before the merge the tenant's
 * namespace does not exist; the commands are played in order against the
 * Kubernetes API double the way `oc` sends them (client-side apply: get, then
 * create or patch; `oc adm policy add-scc-to-user`: the RoleBinding
 * `system:openshift:scc:<scc>` created or its subjects appended).
 */
import {
  renderPullRequestDescription,
  PullRequestSummary,
  sccGrantCommand,
  sccRoleBinding,
} from '@clearml-openshift/plugin-clearml-node';
import {
  KubernetesApiDouble,
  KUBERNETES_ALL_RULES,
  referencePath,
} from '@internal/clearml-test-utils';

const TOKEN = 'sha256~cluster-admin-0a1b';

/** The words of one shell command line (single quotes as shellQuote writes them). */
function words(line: string): string[] {
  const out: string[] = [];
  const re = /'((?:[^']|'\\'')*)'|(\S+)/g;
  for (const m of line.matchAll(re))
    out.push(m[1] !== undefined ? m[1].replace(/'\\''/g, "'") : m[2]);
  return out;
}

async function call(
  double: KubernetesApiDouble,
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
) {
  const response = await fetch(`${double.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${TOKEN}`,
      'content-type': contentType,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

/** Runs one suggested line as oc would; resolves to an error message, or undefined when it worked. */
async function runOc(
  double: KubernetesApiDouble,
  line: string,
): Promise<string | undefined> {
  const pipeline = line.split(' | ').map(words);
  const [first] = pipeline;
  if (first[0] !== 'oc') return `not an oc command: ${line}`;
  if (first[1] === 'create' && first[2] === 'namespace') {
    // oc create namespace N --dry-run=client -o yaml | oc label --local -f - K=V… -o yaml | oc apply -f -
    const name = first[3];
    const label = pipeline.find(w => w[1] === 'label')!;
    if (!label.includes('--local') || pipeline.at(-1)![1] !== 'apply')
      return `unexpected pipeline: ${line}`;
    const labels = Object.fromEntries(
      label
        .filter(w => w.includes('=') && !w.startsWith('-'))
        .map(w => w.split('=')),
    );
    const existing = await call(double, 'GET', `/api/v1/namespaces/${name}`);
    const result =
      existing.status === 404
        ? await call(double, 'POST', '/api/v1/namespaces', {
            apiVersion: 'v1',
            kind: 'Namespace',
            metadata: { name, labels },
          })
        : await call(
            double,
            'PATCH',
            `/api/v1/namespaces/${name}`,
            { metadata: { labels } },
            'application/merge-patch+json',
          );
    return result.status < 300 ? undefined : result.body.message;
  }
  if (
    first[1] === 'adm' &&
    first[2] === 'policy' &&
    first[3] === 'add-scc-to-user'
  ) {
    const scc = first[4];
    const sa = first[first.indexOf('-z') + 1];
    const ns = first[first.indexOf('-n') + 1];
    const path = `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings`;
    const existing = await call(
      double,
      'GET',
      `${path}/system:openshift:scc:${scc}`,
    );
    const result =
      existing.status === 404
        ? await call(double, 'POST', path, sccRoleBinding(scc, ns, [sa]))
        : await call(
            double,
            'PATCH',
            `${path}/system:openshift:scc:${scc}`,
            [
              {
                op: 'add',
                path: '/subjects/-',
                value: { kind: 'ServiceAccount', name: sa, namespace: ns },
              },
            ],
            'application/json-patch+json',
          );
    return result.status < 300 ? undefined : result.body.message;
  }
  return `the test cannot play: ${line}`;
}

/** The `sh` blocks' lines of a Markdown body. */
function shellLines(markdown: string): string[] {
  const lines: string[] = [];
  let inBlock = false;
  for (const raw of markdown.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('```')) {
      inBlock = line === '```sh';
      continue;
    }
    if (inBlock && line && !line.startsWith('#')) lines.push(line);
  }
  return lines;
}

const summary: PullRequestSummary = {
  cluster: 'ocp-prod',
  namespace: 'clearml-acme',
  edition: 'oss',
  securityProfile: 'anyuid',
  hosts: {
    api: 'clearml-acme-api.apps.ocp.example.com',
    files: 'clearml-acme-files.apps.ocp.example.com',
    web: 'clearml-acme-app.apps.ocp.example.com',
  },
  sccGrants: [
    {
      scc: 'anyuid',
      serviceAccount: 'clearml-apiserver',
      reason: 'root image',
    },
    {
      scc: 'anyuid',
      serviceAccount: 'clearml-webserver',
      reason: 'root image',
    },
  ],
  deviations: [],
  grantsApplied: false,
};

describe("the pull request's suggested commands work when they are suggested", () => {
  let double: KubernetesApiDouble;
  beforeEach(async () => {
    double = await KubernetesApiDouble.start({
      tokens: [{ name: 'admin', token: TOKEN, rules: KUBERNETES_ALL_RULES }],
    });
    double.loadFile(
      referencePath(
        'openshift-api',
        'default-sccs',
        '0000_20_kube-apiserver-operator_00_cr-scc-anyuid.yaml',
      ),
    );
  });
  afterEach(() => double.close());

  it.each([
    [
      'with the GitOps files (grants in scc-grants.yaml, a fallback for admins)',
      true,
    ],
    ['without them (the admin applies the grants)', false],
  ])(
    '%s: before the merge, on a cluster without the namespace',
    async (_n, gitops) => {
      const body = renderPullRequestDescription({
        tenant: 'acme',
        summary: {
          ...summary,
          ...(gitops
            ? {
                gitops: {
                  render: 'applications',
                  argocdNamespace: 'openshift-gitops',
                  releases: [],
                  grantBindings: ['system:openshift:scc:anyuid'],
                },
              }
            : {}),
        },
        targetPath: 'tenants/acme',
        files: [],
      });
      const lines = shellLines(body);
      expect(lines.length).toBe(3);
      expect(double.get('v1', 'Namespace', 'clearml-acme')).toBeUndefined();
      for (const line of lines)
        expect([line, await runOc(double, line)]).toEqual([line, undefined]);
      expect(
        double.get('v1', 'Namespace', 'clearml-acme')?.metadata?.labels,
      ).toMatchObject({
        'clear.ml/tenant': 'acme',
      });
      expect(
        (
          double.get(
            'rbac.authorization.k8s.io/v1',
            'RoleBinding',
            'system:openshift:scc:anyuid',
            'clearml-acme',
          ) as any
        ).subjects.map((s: any) => s.name),
      ).toEqual(['clearml-apiserver', 'clearml-webserver']);
      // Run again (the namespace now exists): still works, changes nothing.
      expect(await runOc(double, lines[0])).toBeUndefined();
    },
  );

  it('a grant command alone fails before the merge: the namespace does not exist yet (what the first command is for)', async () => {
    expect(
      await runOc(
        double,
        sccGrantCommand(summary.sccGrants[0], 'clearml-acme'),
      ),
    ).toBe('namespaces "clearml-acme" not found');
  });
});
