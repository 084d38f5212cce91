import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { renderPullRequestDescription } from '@clearml-openshift/plugin-clearml-node';
import {
  GITLAB_ACCESS,
  GitlabApiDouble,
  KubernetesApiDouble,
  KUBERNETES_READ_ONLY_RULES,
} from '@internal/clearml-test-utils';
import { promises as fs } from 'fs';
import os from 'os';
import path from 'path';
import { createClearmlGitopsPullRequestAction } from './gitopsPullRequest';

const HOST = 'gitlab.example.test';
const TOKEN = 'glpat-bot';

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
};

const rendered: Record<string, string | { content: string; mode: number }> = {
  'clearml-values.yaml': 'apiserver:\n  service:\n    type: ClusterIP\n',
  'routes.yaml': 'kind: Route\n',
  'hooks/check.sh': { content: '#!/bin/sh\nexit 0\n', mode: 0o755 },
};
const renderedPaths = [
  'tenants/acme/clearml-values.yaml',
  'tenants/acme/hooks/check.sh',
  'tenants/acme/routes.yaml',
];

const cleanup: string[] = [];
async function workspace(files = rendered): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'clearml-ws-'));
  cleanup.push(dir);
  for (const [name, file] of Object.entries(files)) {
    const full = path.join(dir, name);
    await fs.mkdir(path.dirname(full), { recursive: true });
    const { content, mode } =
      typeof file === 'string' ? { content: file, mode: 0o644 } : file;
    await fs.writeFile(full, content, { mode });
  }
  return dir;
}

describe('clearml:gitops:pull-request on GitLab', () => {
  let gitlab: GitlabApiDouble;
  let cluster: KubernetesApiDouble;
  let action: ReturnType<typeof createClearmlGitopsPullRequestAction>;
  let projects = 0;

  const config = (extra: { repositories?: string[] } = {}) =>
    new ConfigReader({
      clearml: {
        clusters: [
          {
            name: 'ocp-prod',
            url: cluster.url,
            skipTLSVerify: true,
            serviceAccountToken: 'read-token',
          },
        ],
        gitops: extra,
      },
    });

  beforeAll(async () => {
    gitlab = await GitlabApiDouble.start({
      tokens: {
        [TOKEN]: { username: 'backstage-bot' },
        'glpat-maintainer': { username: 'platform-admin' },
        'glpat-read': { username: 'backstage-bot', scopes: ['read_api'] },
        'glpat-reporter': { username: 'auditor' },
      },
      webBaseUrl: `https://${HOST}`,
    });
    cluster = await KubernetesApiDouble.start({
      tokens: [
        {
          name: 'reader',
          token: 'read-token',
          rules: KUBERNETES_READ_ONLY_RULES,
        },
      ],
    });
    action = createClearmlGitopsPullRequestAction({
      integrations: ScmIntegrations.fromConfig(
        new ConfigReader({
          integrations: {
            gitlab: [
              {
                host: HOST,
                apiBaseUrl: gitlab.apiBaseUrl,
                baseUrl: `https://${HOST}`,
                token: TOKEN,
              },
            ],
          },
        }),
      ),
      config: config(),
    });
  });

  afterAll(async () => {
    await gitlab.close();
    await cluster.close();
    await Promise.all(
      cleanup.map(dir => fs.rm(dir, { recursive: true, force: true })),
    );
  });

  /** A fresh project in a subgroup that already holds another tenant. */
  function newProject(
    protectedBranches?: Array<
      string | { name: string; pushAccessLevel?: number }
    >,
  ): string {
    const repo = `gitops-${++projects}`;
    gitlab.createProject({
      path: `platform/infra/${repo}`,
      files: {
        'README.md': '# GitOps\n',
        'tenants/other/clearml-values.yaml': 'other: true\n',
      },
      members: {
        'backstage-bot': GITLAB_ACCESS.developer,
        'platform-admin': GITLAB_ACCESS.maintainer,
        alice: GITLAB_ACCESS.developer,
        auditor: GITLAB_ACCESS.reporter,
      },
      protectedBranches,
    });
    return repo;
  }

  const project = (repo: string) => `platform/infra/${repo}`;

  const input = (repo: string, extra: Record<string, unknown> = {}) => ({
    repoUrl: `${HOST}?owner=platform/infra&repo=${repo}`,
    tenant: 'acme',
    summary,
    reviewers: ['alice'],
    ...extra,
  });

  async function run(
    actionInput: Record<string, unknown>,
    options: { workspacePath?: string; isDryRun?: boolean } = {},
    withAction = action,
  ) {
    const ctx = {
      ...createMockActionContext({
        input: actionInput as any,
        workspacePath: options.workspacePath ?? (await workspace()),
      }),
      isDryRun: options.isDryRun ?? false,
    };
    const info = jest.spyOn(ctx.logger, 'info');
    await withAction.handler(ctx as any);
    return {
      outputs: Object.fromEntries((ctx.output as jest.Mock).mock.calls),
      logged: info.mock.calls.map(c => String(c[0])).join('\n'),
    };
  }

  it('commits exactly the rendered files on clearml/<tenant> and opens one merge request with the reviewable description', async () => {
    const repo = newProject();
    const mainBefore = gitlab.branchHead(project(repo), 'main')!;

    const { outputs } = await run(input(repo));

    const head = gitlab.branchHead(project(repo), 'clearml/acme')!;
    expect(head.parents).toEqual([mainBefore.sha]);
    expect(gitlab.changedPaths(head.sha)).toEqual(renderedPaths);
    const files = gitlab.filesAt(project(repo), 'clearml/acme');
    expect(files['tenants/acme/hooks/check.sh'].mode).toBe('100755');
    expect(files['tenants/other/clearml-values.yaml']).toEqual(
      gitlab.filesAt(project(repo), 'main')[
        'tenants/other/clearml-values.yaml'
      ],
    );
    expect(gitlab.branchHead(project(repo), 'main')!.sha).toBe(mainBefore.sha);

    const mrs = gitlab.mergeRequests(project(repo));
    expect(mrs).toHaveLength(1);
    expect(mrs[0]).toMatchObject({
      title: 'ClearML tenant acme on ocp-prod',
      sourceBranch: 'clearml/acme',
      targetBranch: 'main',
      state: 'opened',
      labels: ['clearml', 'tenant'],
      author: 'backstage-bot',
      description: renderPullRequestDescription({
        tenant: 'acme',
        summary,
        targetPath: 'tenants/acme',
        files: renderedPaths,
        removedFiles: [],
      }),
    });
    expect(mrs[0].reviewerIds).toHaveLength(1);
    expect(outputs).toEqual({
      remoteUrl: `https://${HOST}/platform/infra/${repo}/-/merge_requests/1`,
      pullRequestNumber: 1,
      branchName: 'clearml/acme',
      targetBranchName: 'main',
      targetPath: 'tenants/acme',
      files: renderedPaths,
      commitSha: head.sha,
    });
    // Two writes: the commit that creates the branch, and the merge request.
    expect(
      gitlab.writes.filter(w => w.path.includes(repo)).map(w => w.path),
    ).toEqual([
      `/projects/${project(repo)}/repository/commits`,
      `/projects/${project(repo)}/merge_requests`,
    ]);
  });

  it('a re-run resumes the same merge request; other files without update are refused and nothing is written', async () => {
    const repo = newProject();
    const first = await run(input(repo));
    const head = gitlab.branchHead(project(repo), 'clearml/acme')!.sha;
    const writes = gitlab.writes.length;

    const resumed = await run(input(repo));
    expect(resumed.outputs).toEqual(first.outputs);
    expect(resumed.logged).toContain(
      'Branch clearml/acme already holds these files: merge request !1',
    );

    await expect(
      run(input(repo), {
        workspacePath: await workspace({ 'routes.yaml': 'kind: Route\n' }),
      }),
    ).rejects.toThrow(
      /branchName: branch clearml\/acme already exists .*set update: true/,
    );

    expect(gitlab.writes.length).toBe(writes);
    expect(gitlab.branchHead(project(repo), 'clearml/acme')!.sha).toBe(head);
    expect(gitlab.mergeRequests(project(repo))).toHaveLength(1);
  });

  it('a run that stopped after the commit opens the merge request on the re-run', async () => {
    const repo = newProject();
    gitlab.failOn({
      method: 'POST',
      path: new RegExp(`^/projects/${project(repo)}/merge_requests$`),
      status: 500,
      times: 1,
    });
    await expect(run(input(repo))).rejects.toThrow(
      /GitLab gitlab\.example\.test failed with 500 .*open the merge request/,
    );
    expect(gitlab.mergeRequests(project(repo))).toEqual([]);

    const { outputs } = await run(input(repo));
    expect(gitlab.mergeRequests(project(repo))).toHaveLength(1);
    expect(outputs.commitSha).toBe(
      gitlab.branchHead(project(repo), 'clearml/acme')!.sha,
    );
  });

  it('with update, moves the same branch by one commit and updates the same merge request, removing files no longer rendered', async () => {
    const repo = newProject();
    await run(input(repo));
    const before = gitlab.branchHead(project(repo), 'clearml/acme')!.sha;

    const { outputs } = await run(input(repo, { update: true }), {
      workspacePath: await workspace({
        'clearml-values.yaml': 'apiserver: {}\n',
        'routes.yaml': 'kind: Route\n',
      }),
    });

    const head = gitlab.branchHead(project(repo), 'clearml/acme')!;
    expect(head.parents).toEqual([before]);
    expect(gitlab.changedPaths(head.sha)).toEqual([
      'tenants/acme/clearml-values.yaml',
      'tenants/acme/hooks/check.sh',
    ]);
    expect(
      Object.keys(gitlab.filesAt(project(repo), 'clearml/acme')).filter(p =>
        p.startsWith('tenants/acme/'),
      ),
    ).toEqual(['tenants/acme/clearml-values.yaml', 'tenants/acme/routes.yaml']);
    const mrs = gitlab.mergeRequests(project(repo));
    expect(mrs).toHaveLength(1);
    expect(outputs).toMatchObject({
      pullRequestNumber: 1,
      commitSha: head.sha,
    });
  });

  it("never touches another tenant's directory: an existing targetPath on the target branch is refused", async () => {
    const repo = newProject();
    const writes = gitlab.writes.length;
    await expect(
      run(
        input(repo, {
          tenant: 'other',
          summary: { ...summary, namespace: 'clearml-other' },
        }),
      ),
    ).rejects.toThrow(
      /targetPath: tenants\/other\/ already exists on branch main/,
    );
    expect(gitlab.writes.length).toBe(writes);
  });

  describe('refused before anything is written', () => {
    async function refused(
      repo: string,
      extra: Record<string, unknown>,
      withAction = action,
    ) {
      const requests = gitlab.requests.length;
      const error = await run(input(repo, extra), {}, withAction).catch(e => e);
      const during = gitlab.requests.slice(requests);
      expect(during.filter(r => r.method !== 'GET' && r.status < 400)).toEqual(
        [],
      );
      expect(gitlab.branchHead(project(repo), 'clearml/acme')).toBeUndefined();
      expect(gitlab.mergeRequests(project(repo))).toEqual([]);
      return { error, requests: during };
    }

    it('a token GitLab does not accept (401)', async () => {
      const { error } = await refused(newProject(), { token: 'glpat-revoked' });
      expect(error.message).toContain(
        `GitLab ${HOST} refused the token (401 Unauthorized)`,
      );
      expect(error.message).toContain('integrations.gitlab[].token');
    });

    it('a GitLab host without a token (gitlab.com, which Backstage always lists), also in a dry run', async () => {
      const requests = gitlab.requests.length;
      for (const isDryRun of [false, true]) {
        const error = await run(
          input('gitops', {
            repoUrl: 'gitlab.com?owner=platform/infra&repo=gitops',
          }),
          { isDryRun },
        ).catch(e => e);
        expect([error.name, error.message]).toEqual([
          'InputError',
          'repoUrl: no token for gitlab.com: configure integrations.gitlab[].token for gitlab.com (a token with the api scope), or pass the token input',
        ]);
      }
      expect(gitlab.requests.length).toBe(requests);
    });

    it('a token without the api scope', async () => {
      const { error } = await refused(newProject(), { token: 'glpat-read' });
      expect(error.name).toBe('InputError');
      expect(error.message).toMatch(
        /^token: .* has the scopes read_api; .*needs the api scope/,
      );
    });

    it('a project that does not exist or the token cannot see', async () => {
      const { error } = await refused(newProject(), {
        repoUrl: `${HOST}?owner=platform/infra&repo=missing`,
      });
      expect(error.name).toBe('NotFoundError');
      expect(error.message).toBe(
        `repoUrl: project platform/infra/missing does not exist on ${HOST}, or the token's user is not a member of it`,
      );
    });

    it('a user below the Developer role', async () => {
      const { error } = await refused(newProject(), {
        token: 'glpat-reporter',
      });
      expect(error.message).toMatch(
        /^repoUrl: the token's user has access level 20 .*needs the Developer role/,
      );
    });

    it('a work branch GitLab protects, seen in its protections (maintainer token)', async () => {
      const repo = newProject(['main', 'clearml/*']);
      const { error } = await refused(repo, { token: 'glpat-maintainer' });
      expect(error.name).toBe('InputError');
      expect(error.message).toContain(
        `branchName: "clearml/acme" is a protected branch (on ${HOST}/${project(repo)}, by the protection clearml/*)`,
      );
    });

    it("a work branch GitLab protects, refused by GitLab's own push check (developer token)", async () => {
      const repo = newProject(['main', 'clearml/*']);
      const { error, requests } = await refused(repo, {});
      expect(error.message).toContain(
        `branchName: GitLab does not let the token push to clearml/acme in ${project(repo)}`,
      );
      expect(
        requests.filter(r => r.method === 'POST').map(r => r.status),
      ).toEqual([403]);
    });

    it('a protected branch of clearml.gitops.protectedBranches, and the target branch, as the work branch', async () => {
      const repo = newProject();
      const { error, requests } = await refused(repo, { branchName: 'main' });
      expect(error.message).toMatch(
        /^branchName: "main" is a protected branch \(clearml.gitops.protectedBranches/,
      );
      expect(requests).toEqual([]);
      const { error: target } = await refused(repo, {
        branchName: 'release',
        targetBranchName: 'release',
      });
      expect(target.message).toMatch(
        /^branchName: must differ from targetBranchName/,
      );
    });

    it('a target branch that does not exist', async () => {
      const { error } = await refused(newProject(), {
        targetBranchName: 'nope',
      });
      expect(error.message).toMatch(
        /^targetBranchName: branch nope does not exist in platform\/infra\/gitops-\d+/,
      );
    });

    it("a path outside the tenant's directory, before any request", async () => {
      const { error, requests } = await refused(newProject(), {
        targetPath: 'tenants/other',
      });
      expect(error.name).toBe('InputError');
      expect(error.message).toMatch(
        /^targetPath: must be the tenant's directory tenants\/acme/,
      );
      expect(requests).toEqual([]);
    });

    it('a project that is not one of clearml.gitops.repositories, before any request', async () => {
      const listed = createClearmlGitopsPullRequestAction({
        integrations: ScmIntegrations.fromConfig(
          new ConfigReader({
            integrations: {
              gitlab: [
                { host: HOST, apiBaseUrl: gitlab.apiBaseUrl, token: TOKEN },
              ],
            },
          }),
        ),
        config: config({
          repositories: [`${HOST}?owner=platform/infra&repo=gitops`],
        }),
      });
      const repo = newProject();
      const { error, requests } = await refused(repo, {}, listed);
      expect(error.message).toBe(
        `repoUrl: ${HOST}/platform/infra/${repo} is not one of the GitOps repositories tenants live in (clearml.gitops.repositories: ${HOST}/platform/infra/gitops); a tenant registered from it would never be recognised`,
      );
      expect(requests).toEqual([]);
    });
  });

  it('dry run makes no request and shows the merge request it would open', async () => {
    const repo = newProject();
    const before = gitlab.requests.length;
    const { outputs, logged } = await run(input(repo), { isDryRun: true });
    expect(gitlab.requests.length).toBe(before);
    expect(outputs.remoteUrl).toBe(
      `https://${HOST}/platform/infra/${repo}/-/merge_requests/dry-run`,
    );
    expect(logged).toContain(
      `would push 3 files to tenants/acme/ on branch clearml/acme of ${HOST}/platform/infra/${repo} and open a merge request`,
    );
  });
});
