import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  ensureBareRepository,
  readLocalGitTargets,
  renderPullRequestDescription,
} from '@clearml-openshift/plugin-clearml-node';
import {
  GithubApiDouble,
  KubernetesApiDouble,
  KUBERNETES_READ_ONLY_RULES,
} from '@internal/clearml-test-utils';
import { execFileSync } from 'child_process';
import { promises as fs } from 'fs';
import yaml from 'js-yaml';
import os from 'os';
import path from 'path';
import { createClearmlGitopsPullRequestAction } from './gitopsPullRequest';
import { examples } from './gitopsPullRequest.examples';
import { createGithubClientFactory } from '@clearml-openshift/plugin-clearml-node';
import { renderTenantSettings } from '@clearml-openshift/plugin-clearml-common';

const HOST = 'ghe.example.test';
const TOKEN = 'ghp_double';

const summary = {
  cluster: 'ocp-prod',
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
      reason: 'the server image runs as root',
    },
  ],
  deviations: ['Services are ClusterIP instead of NodePort'],
};

const rendered = {
  'clearml-values.yaml': 'apiserver:\n  service:\n    type: ClusterIP\n',
  'routes.yaml': 'kind: Route\n',
  'hooks/check.sh': { content: '#!/bin/sh\nexit 0\n', executable: true },
};

type WorkspaceFile = string | { content: string; executable: boolean };

const cleanup: string[] = [];
async function tempDir(prefix: string): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  cleanup.push(dir);
  return dir;
}

async function workspace(
  files: Record<string, WorkspaceFile> = rendered,
  sub = '.',
): Promise<string> {
  const dir = await tempDir('clearml-ws-');
  for (const [name, file] of Object.entries(files)) {
    const full = path.join(dir, sub, name);
    await fs.mkdir(path.dirname(full), { recursive: true });
    const { content, executable } =
      typeof file === 'string' ? { content: file, executable: false } : file;
    await fs.writeFile(full, content, { mode: executable ? 0o755 : 0o644 });
  }
  return dir;
}

/** A checkpoint that keeps successful results across runs, as the scaffolder keeps them across task retries. */
function taskState() {
  const saved = new Map<string, any>();
  return {
    async checkpoint({ key, fn }: { key: string; fn: () => Promise<any> }) {
      if (saved.has(key)) return saved.get(key);
      const value = await fn();
      saved.set(key, value);
      return value;
    },
  };
}

describe('clearml:gitops:pull-request', () => {
  let github: GithubApiDouble;
  let cluster: KubernetesApiDouble;
  let localBase: string;
  let action: ReturnType<typeof createClearmlGitopsPullRequestAction>;
  let repoCount = 0;

  beforeAll(async () => {
    github = await GithubApiDouble.start({
      tokens: { [TOKEN]: 'backstage-bot' },
      webBaseUrl: `https://${HOST}`,
    });
    localBase = await tempDir('clearml-gitops-');
    // The preflight reads the tenant's namespace on the summary's cluster (absent here: a new tenant).
    cluster = await KubernetesApiDouble.start({
      tokens: [
        {
          name: 'reader',
          token: 'read-token',
          rules: KUBERNETES_READ_ONLY_RULES,
        },
      ],
    });
    const clusterEntry = (name: string) => ({
      name,
      url: cluster.url,
      skipTLSVerify: true,
      serviceAccountToken: 'read-token',
    });
    const integrations = ScmIntegrations.fromConfig(
      new ConfigReader({
        integrations: {
          github: [{ host: HOST, apiBaseUrl: github.apiBaseUrl, token: TOKEN }],
        },
      }),
    );
    action = createClearmlGitopsPullRequestAction({
      integrations,
      config: new ConfigReader({
        clearml: {
          clusters: [clusterEntry('ocp-prod'), clusterEntry('ocp-dr')],
          gitops: {
            localTargets: [
              {
                host: 'git.local',
                baseDir: localBase,
                repositories: ['platform/gitops', 'platform/second'],
              },
            ],
          },
        },
      }),
      // The production factory; only the back-off and the spacing of writes are shortened.
      clientFactory: createGithubClientFactory({
        throttle: { enabled: false },
        retry: { retryAfterBaseValue: 5 },
      }),
    });
  });

  afterAll(async () => {
    await github.close();
    await cluster.close();
    await Promise.all(
      cleanup.map(dir => fs.rm(dir, { recursive: true, force: true })),
    );
  });

  /** A fresh GitOps repository that already holds another tenant. */
  function newRepository(): string {
    const repo = `gitops-${++repoCount}`;
    github.createRepository({
      owner: 'platform',
      repo,
      files: {
        'README.md': '# GitOps\n',
        'tenants/other/clearml-values.yaml': 'other: true\n',
        'tenants/other/hooks/check.sh': {
          content: '#!/bin/sh\n',
          mode: '100755',
        },
      },
    });
    return repo;
  }

  async function run(
    input: Record<string, unknown>,
    options: {
      workspacePath?: string;
      state?: ReturnType<typeof taskState>;
      isDryRun?: boolean;
    } = {},
  ) {
    const base = createMockActionContext({
      input: input as any,
      workspacePath: options.workspacePath ?? (await workspace()),
    });
    const ctx = {
      ...base,
      ...(options.state ?? {}),
      isDryRun: options.isDryRun ?? false,
    };
    const info = jest.spyOn(ctx.logger, 'info');
    await action.handler(ctx as any);
    const outputs = Object.fromEntries((ctx.output as jest.Mock).mock.calls);
    return {
      outputs,
      logged: info.mock.calls.map(c => String(c[0])).join('\n'),
    };
  }

  const input = (repo: string, extra: Record<string, unknown> = {}) => ({
    repoUrl: `${HOST}?owner=platform&repo=${repo}`,
    tenant: 'acme',
    summary,
    reviewers: ['alice'],
    teamReviewers: ['platform-admins'],
    ...extra,
  });

  const renderedPaths = [
    'tenants/acme/clearml-values.yaml',
    'tenants/acme/hooks/check.sh',
    'tenants/acme/routes.yaml',
  ];

  it('pushes branch clearml/<tenant> with one commit of exactly the rendered files and opens one pull request', async () => {
    const repo = newRepository();
    const mainBefore = github.branchHead('platform', repo, 'main')!;

    const { outputs } = await run(input(repo));

    const head = github.branchHead('platform', repo, 'clearml/acme')!;
    expect(head.parents).toEqual([mainBefore.sha]);
    expect(github.changedPaths(head.sha)).toEqual(renderedPaths);
    const files = github.filesAt('platform', repo, 'clearml/acme');
    expect(files['tenants/acme/clearml-values.yaml']).toEqual({
      content: rendered['clearml-values.yaml'],
      mode: '100644',
    });
    expect(files['tenants/acme/hooks/check.sh'].mode).toBe('100755');
    // The other tenant is exactly as it was on main.
    const other = (f: Record<string, unknown>) =>
      Object.fromEntries(
        Object.entries(f).filter(([p]) => p.startsWith('tenants/other/')),
      );
    expect(other(files)).toEqual(
      other(github.filesAt('platform', repo, 'main')),
    );
    expect(github.branchHead('platform', repo, 'main')!.sha).toBe(
      mainBefore.sha,
    );

    const pulls = github.pullRequests('platform', repo);
    expect(pulls).toHaveLength(1);
    expect(pulls[0]).toMatchObject({
      title: 'ClearML tenant acme on ocp-prod',
      head: 'clearml/acme',
      base: 'main',
      draft: false,
      labels: ['clearml', 'tenant'],
      requestedReviewers: ['alice'],
      requestedTeams: ['platform-admins'],
    });
    expect(pulls[0].body).toBe(
      renderPullRequestDescription({
        tenant: 'acme',
        summary,
        targetPath: 'tenants/acme',
        files: renderedPaths,
        removedFiles: [],
      }),
    );
    expect(outputs).toEqual({
      remoteUrl: `https://${HOST}/platform/${repo}/pull/${pulls[0].number}`,
      pullRequestNumber: pulls[0].number,
      branchName: 'clearml/acme',
      targetBranchName: 'main',
      targetPath: 'tenants/acme',
      files: renderedPaths,
      commitSha: head.sha,
    });
  });

  it('refuses a second run with other files without update and pushes nothing; the same files resume the pull request', async () => {
    const repo = newRepository();
    const first = await run(input(repo));
    const head = github.branchHead('platform', repo, 'clearml/acme')!.sha;
    const before = github.requests.length;

    await expect(
      run(input(repo), {
        workspacePath: await workspace({ 'routes.yaml': 'kind: Route\n' }),
      }),
    ).rejects.toThrow(
      /branchName: branch clearml\/acme already exists .*set update: true/,
    );

    const during = github.requests.slice(before);
    expect(during.length).toBeGreaterThan(0);
    expect(
      during.filter(r => r.method !== 'GET' && r.method !== 'HEAD'),
    ).toEqual([]);
    expect(github.branchHead('platform', repo, 'clearml/acme')!.sha).toBe(head);
    expect(github.pullRequests('platform', repo)).toHaveLength(1);

    // A retry of a task that pushed the branch (e.g. failed in a later step) finishes with the same pull request.
    const resumed = await run(input(repo));
    expect(resumed.outputs).toEqual(first.outputs);
    expect(
      github.requests
        .slice(before)
        .filter(r => r.method !== 'GET' && r.method !== 'HEAD'),
    ).toEqual([]);
  });

  it('with update, moves the same branch and updates the same pull request, removing files no longer rendered', async () => {
    const repo = newRepository();
    await run(input(repo));
    const [first] = github.pullRequests('platform', repo);

    const changed = {
      'clearml-values.yaml': 'apiserver: {}\n',
      'routes.yaml': 'kind: Route\n',
    };
    const { outputs } = await run(
      input(repo, { update: true, summary: { ...summary, cluster: 'ocp-dr' } }),
      {
        workspacePath: await workspace(changed),
      },
    );

    const pulls = github.pullRequests('platform', repo);
    expect(pulls).toHaveLength(1);
    expect(outputs.pullRequestNumber).toBe(first.number);
    expect(pulls[0].body).toContain('## ClearML tenant `acme` on `ocp-dr`');
    const files = github.filesAt('platform', repo, 'clearml/acme');
    expect(
      Object.keys(files)
        .filter(p => p.startsWith('tenants/acme/'))
        .sort(),
    ).toEqual(['tenants/acme/clearml-values.yaml', 'tenants/acme/routes.yaml']);
    expect(files['tenants/acme/clearml-values.yaml'].content).toBe(
      'apiserver: {}\n',
    );
    expect(
      github.requests.some(
        r =>
          r.method === 'PATCH' &&
          r.path === `/repos/platform/${repo}/pulls/${first.number}`,
      ),
    ).toBe(true);
  });

  it("never touches another tenant's directory: an existing targetPath on the target branch is refused", async () => {
    const repo = newRepository();
    const before = github.requests.length;

    await expect(
      run(
        input(repo, {
          tenant: 'other',
          summary: { ...summary, namespace: 'clearml-other' },
        }),
      ),
    ).rejects.toThrow(
      /targetPath: tenants\/other\/ already exists on branch main .*never overwritten/,
    );

    expect(
      github.requests
        .slice(before)
        .filter(r => r.method !== 'GET' && r.method !== 'HEAD'),
    ).toEqual([]);
    expect(
      github.branchHead('platform', repo, 'clearml/other'),
    ).toBeUndefined();
    expect(github.pullRequests('platform', repo)).toEqual([]);
  });

  it('still finds an existing tenant directory when GitHub truncates the repository tree', async () => {
    const repo = newRepository();
    github.maxTreeEntries = 1;
    try {
      await expect(
        run(
          input(repo, {
            tenant: 'other',
            summary: { ...summary, namespace: 'clearml-other' },
          }),
        ),
      ).rejects.toThrow(/targetPath: tenants\/other\/ already exists/);
      expect(
        github.requests.some(
          r =>
            r.path === `/repos/platform/${repo}/contents/tenants/other/hooks`,
        ),
      ).toBe(true);
      expect(
        github.branchHead('platform', repo, 'clearml/other'),
      ).toBeUndefined();
    } finally {
      github.maxTreeEntries = 100_000;
    }
  });

  it('ends in a clear error when GitHub refuses the credentials (401)', async () => {
    const repo = newRepository();
    await expect(run(input(repo, { token: 'ghp_revoked' }))).rejects.toThrow(
      `GitHub ${HOST} refused the credentials (401 Bad credentials)`,
    );
    expect(github.branchHead('platform', repo, 'clearml/acme')).toBeUndefined();
  });

  it('ends in a clear error when GitHub fails with 5xx, after retrying, and opens no pull request', async () => {
    const repo = newRepository();
    github.failOn({
      method: 'POST',
      path: new RegExp(`^/repos/platform/${repo}/git/commits$`),
      status: 502,
    });

    await expect(run(input(repo))).rejects.toThrow(
      /GitHub ghe\.example\.test failed with 502 Bad Gateway \(POST .*\/git\/commits\)/,
    );

    const attempts = github.requests.filter(
      r => r.path === `/repos/platform/${repo}/git/commits`,
    );
    expect(attempts.map(r => r.status)).toEqual([502, 502, 502, 502]);
    expect(github.branchHead('platform', repo, 'clearml/acme')).toBeUndefined();
    expect(github.pullRequests('platform', repo)).toEqual([]);
  });

  it('dry run makes no request and shows the branch, target path, a placeholder URL and the description', async () => {
    const repo = newRepository();
    const before = github.requests.length;

    const { outputs, logged } = await run(input(repo), { isDryRun: true });

    expect(github.requests.length).toBe(before);
    expect(outputs).toEqual({
      remoteUrl: `https://${HOST}/platform/${repo}/pull/dry-run`,
      branchName: 'clearml/acme',
      targetBranchName: '(default branch)',
      targetPath: 'tenants/acme',
      files: renderedPaths,
    });
    expect(logged).toContain(
      'would push 3 files to tenants/acme/ on branch clearml/acme',
    );
    expect(logged).toContain(
      renderPullRequestDescription({
        tenant: 'acme',
        summary,
        targetPath: 'tenants/acme',
        files: renderedPaths,
        removedFiles: [],
      }),
    );
  });

  it('a retried task returns the first pull request instead of opening a second', async () => {
    const repo = newRepository();
    const state = taskState();
    const first = await run(input(repo), { state });
    const before = github.requests.length;

    const retry = await run(input(repo), { state });

    expect(github.requests.length).toBe(before);
    expect(retry.outputs).toEqual(first.outputs);
    expect(github.pullRequests('platform', repo)).toHaveLength(1);
  });

  it.each([
    ['tenant', { tenant: 'Acme_1' }, /^tenant: must be a DNS-1123 label/],
    [
      'targetPath',
      { targetPath: '../escape' },
      /^targetPath: must not contain "\.\."/,
    ],
    [
      'targetPath',
      { targetPath: '/tenants/acme' },
      /^targetPath: must be relative/,
    ],
    [
      'targetPath',
      { targetPath: '.' },
      /^targetPath: must name a directory below the repository root/,
    ],
    [
      'targetPath',
      { targetPath: 'tenants' },
      /^targetPath: must be the tenant's directory tenants\/acme or below it/,
    ],
    [
      'targetPath',
      { targetPath: 'tenants/other' },
      /^targetPath: must be the tenant's directory tenants\/acme/,
    ],
    [
      'branchName',
      { branchName: 'main' },
      /^branchName: "main" is a protected branch \(clearml\.gitops\.protectedBranches: main, master\)/,
    ],
    [
      'summary',
      {
        summary: {
          ...summary,
          sccGrants: [
            { scc: 'anyuid', serviceAccount: 'sa; rm -rf ~', reason: 'x' },
          ],
        },
      },
      /summary\.sccGrants\[0\]\.serviceAccount must be a ServiceAccount name/,
    ],
    [
      'summary.cluster',
      { summary: { ...summary, cluster: 'nope' } },
      /^summary\.cluster: unknown cluster 'nope'; configured clusters: ocp-prod, ocp-dr$/,
    ],
    [
      'summary.namespace',
      { summary: { ...summary, namespace: 'payments' } },
      /^summary\.namespace: namespace 'payments' does not match the tenant namespace pattern/,
    ],
    [
      'branchName',
      { branchName: 'clearml/../main' },
      /^branchName: must not contain "\.\."/,
    ],
    [
      'branchName',
      { branchName: '/clearml/acme' },
      /^branchName: must not start or end with "\/"/,
    ],
    [
      'targetBranchName',
      { targetBranchName: 'main branch' },
      /^targetBranchName: must not contain spaces/,
    ],
    [
      'sourcePath',
      { sourcePath: '../..' },
      /^sourcePath: must stay inside the workspace/,
    ],
    [
      'summary',
      { summary: undefined },
      /^summary: is required unless description is given/,
    ],
    [
      'summary',
      {
        summary: {
          ...summary,
          sccGrants: [{ scc: 'anyuid', serviceAccount: 'x' }],
        },
      },
      /summary\.sccGrants\[0\] needs/,
    ],
    [
      'repoUrl',
      { repoUrl: 'gitlab.example.com?owner=a&repo=b' },
      /^repoUrl: host gitlab\.example\.com is neither/,
    ],
  ])(
    'refuses a bad %s with an InputError naming it, before any request',
    async (_field, override, message) => {
      const repo = newRepository();
      const before = github.requests.length;
      const error = await run(input(repo, override)).catch(e => e);
      expect(error.name).toBe('InputError');
      expect(error.message).toMatch(message);
      expect(github.requests.length).toBe(before);
    },
  );

  it("carries the tenant's settings record, and refuses a malformed one or another tenant's before any request", async () => {
    const record = (tenant: string) =>
      renderTenantSettings({
        tenant,
        owner: 'group:default/ml-team',
        cluster: 'ocp-prod',
        namespace: `clearml-${tenant}`,
        domain: `clearml-${tenant}.apps.ocp.example.com`,
        edition: 'oss',
        releaseName: 'clearml',
        securityProfile: 'anyuid',
        exposure: 'route',
        agent: { enabled: false, queue: 'default' },
        appGateway: { enabled: false },
        tier: 'small',
        repoUrl: `${HOST}?owner=platform&repo=gitops`,
      });
    const repo = newRepository();
    const { outputs } = await run(input(repo), {
      workspacePath: await workspace({
        ...rendered,
        'tenant-settings.yaml': record('acme'),
      }),
    });
    expect(outputs.files).toContain('tenants/acme/tenant-settings.yaml');

    for (const [content, message] of [
      [
        record('other'),
        'sourcePath: tenant-settings.yaml is the settings record of tenant other, not of tenant acme',
      ],
      [
        record('acme').replace('tier: small', 'tier: Huge!'),
        /^sourcePath: tenant-settings.yaml is not a valid settings record: spec\.tier: /,
      ],
    ] as const) {
      const fresh = newRepository();
      const before = github.requests.length;
      const error = await run(input(fresh), {
        workspacePath: await workspace({
          ...rendered,
          'tenant-settings.yaml': content,
        }),
      }).catch(e => e);
      expect(error.name).toBe('InputError');
      expect(error.message).toMatch(message);
      expect(github.requests.length).toBe(before);
    }
  });

  it('refuses a GitHub repository that is not one of clearml.gitops.repositories, before any request', async () => {
    const listed = createClearmlGitopsPullRequestAction({
      integrations: ScmIntegrations.fromConfig(
        new ConfigReader({
          integrations: {
            github: [
              { host: HOST, apiBaseUrl: github.apiBaseUrl, token: TOKEN },
            ],
          },
        }),
      ),
      config: new ConfigReader({
        clearml: {
          clusters: [],
          gitops: { repositories: [`${HOST}?owner=platform&repo=gitops`] },
        },
      }),
    });
    const repo = newRepository();
    const before = github.requests.length;
    const error = await listed
      .handler({
        ...createMockActionContext({
          input: input(repo) as any,
          workspacePath: await workspace(),
        }),
      } as any)
      .catch(e => e);
    expect(error.name).toBe('InputError');
    expect(error.message).toBe(
      `repoUrl: ${HOST}/platform/${repo} is not one of the GitOps repositories tenants live in (clearml.gitops.repositories: ${HOST}/platform/gitops); a tenant registered from it would never be recognised`,
    );
    expect(github.requests.length).toBe(before);
  });

  it('refuses to create a tenant that already runs on the cluster (its namespace exists), pushing nothing', async () => {
    const repo = newRepository();
    cluster.load(
      "apiVersion: v1\nkind: Namespace\nmetadata: { name: clearml-running, labels: { 'clear.ml/tenant': running } }\n",
    );
    const before = github.requests.length;
    const running = {
      tenant: 'running',
      summary: { ...summary, namespace: 'clearml-running' },
    };
    const error = await run(input(repo, running)).catch(e => e);
    expect(error.name).toBe('ConflictError');
    expect(error.message).toMatch(
      /^tenant: tenant running \(namespace clearml-running on cluster 'ocp-prod'\) already exists/,
    );
    expect(
      github.requests
        .slice(before)
        .filter(r => r.method !== 'GET' && r.method !== 'HEAD'),
    ).toEqual([]);
    expect(
      github.branchHead('platform', repo, 'clearml/running'),
    ).toBeUndefined();
    // The platform team changes an existing tenant with update.
    await run(input(repo, { ...running, update: true }));
    expect(
      github.branchHead('platform', repo, 'clearml/running'),
    ).toBeDefined();
  });

  it('takes a given description and title as they are', async () => {
    const repo = newRepository();
    await run(
      input(repo, {
        summary: undefined,
        description: 'Hand-written',
        title: 'Add acme',
        labels: ['ml'],
        draft: true,
      }),
    );
    expect(github.pullRequests('platform', repo)[0]).toMatchObject({
      body: 'Hand-written',
      title: 'Add acme',
      labels: ['ml'],
      draft: true,
    });
  });

  describe('local git target', () => {
    const gitLog = (gitdir: string, ...args: string[]) =>
      execFileSync('git', [`--git-dir=${gitdir}`, ...args]).toString();

    it('pushes the branch into a bare repository, created with a main branch, that git can read', async () => {
      const { outputs } = await run({
        repoUrl: 'git.local?owner=platform&repo=gitops',
        tenant: 'acme',
        summary,
      });
      const gitdir = path.join(localBase, 'platform', 'gitops.git');

      expect(gitLog(gitdir, 'rev-parse', '--is-bare-repository').trim()).toBe(
        'true',
      );
      expect(
        gitLog(gitdir, 'log', '--format=%s', 'clearml/acme').trim().split('\n'),
      ).toEqual(['ClearML tenant acme on ocp-prod', 'Initial commit']);
      expect(gitLog(gitdir, 'log', '--format=%s', 'main').trim()).toBe(
        'Initial commit',
      );
      expect(
        gitLog(
          gitdir,
          'ls-tree',
          '-r',
          '--format=%(objectmode) %(path)',
          'clearml/acme',
        )
          .trim()
          .split('\n'),
      ).toEqual([
        '100644 README.md',
        '100644 tenants/acme/clearml-values.yaml',
        '100755 tenants/acme/hooks/check.sh',
        '100644 tenants/acme/routes.yaml',
      ]);
      expect(
        gitLog(gitdir, 'show', 'clearml/acme:tenants/acme/clearml-values.yaml'),
      ).toBe(rendered['clearml-values.yaml']);
      // The reviewer reads the description in the commit message.
      expect(
        gitLog(gitdir, 'log', '-1', '--format=%B', 'clearml/acme'),
      ).toContain('### Review checklist');
      expect(gitLog(gitdir, 'fsck', '--strict')).toBe('');
      expect(outputs).toMatchObject({
        // The repository and branch, never the bare repository's path on the backend's disk.
        remoteUrl: 'git://git.local/platform/gitops.git#clearml/acme',
        branchName: 'clearml/acme',
        targetBranchName: 'main',
        commitSha: gitLog(gitdir, 'rev-parse', 'clearml/acme').trim(),
      });
      expect(JSON.stringify(outputs)).not.toContain(localBase);
    });

    it('refuses a second run without update and moves the branch with update', async () => {
      const repoUrl = 'git.local?owner=platform&repo=second';
      const gitdir = path.join(localBase, 'platform', 'second.git');
      await run({ repoUrl, tenant: 'acme', summary });
      const first = gitLog(gitdir, 'rev-parse', 'clearml/acme').trim();

      const resumed = await run({ repoUrl, tenant: 'acme', summary });
      expect(resumed.outputs.commitSha).toBe(first);
      await expect(
        run(
          { repoUrl, tenant: 'acme', summary },
          {
            workspacePath: await workspace({ 'routes.yaml': 'kind: Route\n' }),
          },
        ),
      ).rejects.toThrow(/branchName: branch clearml\/acme already exists/);
      expect(gitLog(gitdir, 'rev-parse', 'clearml/acme').trim()).toBe(first);

      await run(
        { repoUrl, tenant: 'acme', summary, update: true },
        { workspacePath: await workspace({ 'routes.yaml': 'kind: Route\n' }) },
      );
      expect(
        gitLog(gitdir, 'ls-tree', '-r', '--name-only', 'clearml/acme')
          .trim()
          .split('\n'),
      ).toEqual(['README.md', 'tenants/acme/routes.yaml']);
      // Rebuilt on main, not stacked on the first run's commit.
      expect(gitLog(gitdir, 'rev-list', '--count', 'clearml/acme').trim()).toBe(
        '2',
      );
    });
  });

  describe('examples', () => {
    it.each(examples.map(e => [e.description, e] as const))(
      'runs: %s',
      async (_description, example) => {
        const step = (yaml.load(example.example) as any).steps[0];
        const repo = newRepository();
        // The examples name github.com and git.local; point them at this test's repository and targets.
        const repoUrl = String(step.input.repoUrl).startsWith('git.local')
          ? `git.local?owner=platform&repo=example-${repo}`
          : `${HOST}?owner=platform&repo=${repo}`;
        const sub = step.input.sourcePath ?? '.';
        const workspacePath = await workspace(rendered, sub);
        if (repoUrl.startsWith('git.local')) {
          const target = readLocalGitTargets(
            new ConfigReader({
              clearml: {
                gitops: {
                  localTargets: [{ host: 'git.local', baseDir: localBase }],
                },
              },
            }),
          )[0];
          await ensureBareRepository(
            target,
            path.join(localBase, 'platform', `example-${repo}.git`),
          );
        }
        if (step.input.update)
          await run(
            { ...step.input, repoUrl, update: false },
            { workspacePath },
          );

        const { outputs } = await run(
          { ...step.input, repoUrl },
          { workspacePath },
        );

        expect(outputs).toMatchObject({
          branchName: 'clearml/acme',
          targetPath: 'tenants/acme',
          files: renderedPaths,
        });
        // A GitHub target gets one labelled pull request; a local git target gets none.
        const opensPullRequest = !repoUrl.startsWith('git.local');
        expect(
          github.pullRequests('platform', repo).map(pr => pr.labels),
        ).toEqual(opensPullRequest ? [['clearml', 'tenant']] : []);
      },
    );
  });
});
