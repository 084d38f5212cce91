import { execFileSync } from 'child_process';
import { Gitlab } from '@gitbeaker/rest';
import { GITLAB_ACCESS, GitlabApiDouble } from './GitlabApiDouble';

const PROJECT = 'platform/infra/gitops';

describe('GitLab API double', () => {
  let double: GitlabApiDouble;
  let gitlab: InstanceType<typeof Gitlab>;

  beforeAll(async () => {
    double = await GitlabApiDouble.start({
      tokens: {
        'glpat-double': { username: 'backstage-bot' },
        'glpat-reader': { username: 'backstage-bot', scopes: ['read_api'] },
        'glpat-maintainer': { username: 'platform-admin' },
        'glpat-expired': { username: 'backstage-bot', active: false },
      },
    });
    double.createProject({
      path: PROJECT,
      files: {
        'README.md': '# GitOps\n',
        'tenants/other/values.yaml': 'a: 1\n',
      },
      members: {
        'backstage-bot': GITLAB_ACCESS.developer,
        'platform-admin': GITLAB_ACCESS.maintainer,
      },
      protectedBranches: ['main', { name: 'release/*', pushAccessLevel: 0 }],
    });
    gitlab = new Gitlab({ host: double.url, token: 'glpat-double' });
  });

  afterAll(() => double.close());

  it('answers a project by its URL-encoded full path and by its id, with the caller role', async () => {
    const byPath = await gitlab.Projects.show(PROJECT);
    expect(byPath).toMatchObject({
      path_with_namespace: PROJECT,
      default_branch: 'main',
      permissions: { project_access: { access_level: 30 } },
      web_url: `${double.url}/${PROJECT}`,
    });
    expect(double.requests.at(-1)).toMatchObject({
      method: 'GET',
      path: `/projects/${PROJECT}`,
    });
    await expect(gitlab.Projects.show(byPath.id)).resolves.toMatchObject({
      id: byPath.id,
    });
  });

  it("answers 404 Project Not Found for a project that is missing or not the caller's", async () => {
    const error = await gitlab.Projects.show('platform/nope').catch(e => e);
    expect(error.cause.response.status).toBe(404);
    expect(error.cause.description).toBe('404 Project Not Found');
    const anonymous = await fetch(
      `${double.apiBaseUrl}/projects/${encodeURIComponent(PROJECT)}`,
    );
    expect(anonymous.status).toBe(404);
  });

  it('refuses an unknown or expired token with 401 and a token without the scope with 403 insufficient_scope', async () => {
    for (const token of ['glpat-wrong', 'glpat-expired']) {
      const error = await new Gitlab({ host: double.url, token }).Projects.show(
        PROJECT,
      ).catch(e => e);
      expect(error.cause.response.status).toBe(401);
      expect(error.cause.description).toBe('401 Unauthorized');
    }
    const reader = new Gitlab({ host: double.url, token: 'glpat-reader' });
    await expect(reader.Projects.show(PROJECT)).resolves.toBeDefined();
    const write = await reader.Branches.create(PROJECT, 'x', 'main').catch(
      e => e,
    );
    expect(write.cause.response.status).toBe(403);
    expect(write.cause.description).toBe('insufficient_scope');
    const body = await fetch(
      `${double.apiBaseUrl}/projects/${encodeURIComponent(PROJECT)}/repository/branches?branch=x&ref=main`,
      { method: 'POST', headers: { 'private-token': 'glpat-reader' } },
    );
    expect(body.status).toBe(403);
    expect(await body.json()).toEqual({
      error: 'insufficient_scope',
      error_description:
        'The request requires higher privileges than provided by the access token.',
      scope: 'api',
    });
    await expect(
      new Gitlab({
        host: double.url,
        oauthToken: 'glpat-double',
      }).Users.showCurrentUser(),
    ).resolves.toMatchObject({ username: 'backstage-bot' });
  });

  it("shows the token's own scopes (personal_access_tokens/self)", async () => {
    await expect(gitlab.PersonalAccessTokens.show()).resolves.toMatchObject({
      scopes: ['api'],
      active: true,
    });
  });

  it('creates a branch and a commit of file actions with the blob SHAs git computes', async () => {
    const commit = await gitlab.Commits.create(
      PROJECT,
      'clearml/acme',
      'Tenant acme',
      [
        {
          action: 'create',
          filePath: 'tenants/acme/values.yaml',
          content: 'hello\n',
        },
        {
          action: 'create',
          filePath: 'tenants/acme/run.sh',
          content: Buffer.from('#!/bin/sh\n').toString('base64'),
          encoding: 'base64',
          execute_filemode: true,
        } as any,
      ],
      { startBranch: 'main' },
    );
    expect(commit).toMatchObject({
      title: 'Tenant acme',
      parent_ids: [double.branchHead(PROJECT, 'main')!.sha],
    });
    expect(double.branchHead(PROJECT, 'clearml/acme')!.sha).toBe(commit.id);
    expect(double.changedPaths(commit.id)).toEqual([
      'tenants/acme/run.sh',
      'tenants/acme/values.yaml',
    ]);
    const file = await gitlab.RepositoryFiles.show(
      PROJECT,
      'tenants/acme/values.yaml',
      'clearml/acme',
    );
    const expected = execFileSync('git', ['hash-object', '--stdin'], {
      input: 'hello\n',
    })
      .toString()
      .trim();
    expect(file).toMatchObject({
      blob_id: expected,
      last_commit_id: commit.id,
      encoding: 'base64',
      content: Buffer.from('hello\n').toString('base64'),
    });
    expect(
      double.filesAt(PROJECT, 'clearml/acme')['tenants/acme/run.sh'],
    ).toEqual({
      content: '#!/bin/sh\n',
      mode: '100755',
    });
    const raw = await fetch(
      `${double.apiBaseUrl}/projects/${encodeURIComponent(PROJECT)}/repository/files/${encodeURIComponent('tenants/acme/values.yaml')}/raw?ref=${commit.id}`,
      { headers: { authorization: 'Bearer glpat-double' } },
    );
    expect(await raw.text()).toBe('hello\n');
  });

  it("refuses what GitLab's commit service refuses, with its 400 messages, and moves nothing", async () => {
    const head = double.branchHead(PROJECT, 'clearml/acme')!.sha;
    const refused = async (promise: Promise<unknown>) => {
      const error: any = await promise.catch(e => e);
      return [error.cause.response.status, error.cause.description];
    };
    await expect(
      refused(
        gitlab.Commits.create(
          PROJECT,
          'clearml/acme',
          'again',
          [{ action: 'create', filePath: 'x', content: '' }],
          { startBranch: 'main' },
        ),
      ),
    ).resolves.toEqual([
      400,
      "A branch called 'clearml/acme' already exists. Switch to that branch in order to make changes",
    ]);
    await expect(
      refused(
        gitlab.Commits.create(PROJECT, 'clearml/new', 'm', [
          { action: 'create', filePath: 'x', content: '' },
        ]),
      ),
    ).resolves.toEqual([
      400,
      'You can only create or edit files when you are on a branch',
    ]);
    await expect(
      refused(
        gitlab.Commits.create(PROJECT, 'clearml/acme', 'm', [
          {
            action: 'create',
            filePath: 'tenants/acme/values.yaml',
            content: '',
          },
        ]),
      ),
    ).resolves.toEqual([400, 'A file with this name already exists']);
    await expect(
      refused(
        gitlab.Commits.create(PROJECT, 'clearml/acme', 'm', [
          { action: 'delete', filePath: 'tenants/acme/missing.yaml' },
        ]),
      ),
    ).resolves.toEqual([400, "A file with this name doesn't exist"]);
    expect(double.branchHead(PROJECT, 'clearml/acme')!.sha).toBe(head);
    expect(double.branchHead(PROJECT, 'clearml/new')).toBeUndefined();
  });

  it('refuses a push into a protected branch to a role below its push level', async () => {
    const error = await gitlab.Commits.create(PROJECT, 'main', 'direct', [
      { action: 'create', filePath: 'y', content: '' },
    ]).catch(e => e);
    expect(error.cause.response.status).toBe(403);
    expect(error.cause.description).toBe(
      '403 Forbidden - You are not allowed to push into this branch',
    );
    const branch = await gitlab.Branches.show(PROJECT, 'main');
    expect(branch).toMatchObject({ protected: true, can_push: false });
    // Listing protections takes a maintainer (authorize_admin_project).
    const listed = await gitlab.ProtectedBranches.all(PROJECT).catch(e => e);
    expect(listed.cause.response.status).toBe(403);
    const admin = new Gitlab({ host: double.url, token: 'glpat-maintainer' });
    const protections = await admin.ProtectedBranches.all(PROJECT);
    expect(protections.map(p => p.name)).toEqual(['main', 'release/*']);
    const release = await admin.Commits.create(
      PROJECT,
      'release/1.0',
      'm',
      [{ action: 'create', filePath: 'z', content: '' }],
      { startBranch: 'main' },
    ).catch(e => e);
    expect(release.cause.response.status).toBe(403);
  });

  it('lists a recursive tree across pages, which gitbeaker follows', async () => {
    const tree = await gitlab.Repositories.allRepositoryTrees(PROJECT, {
      ref: 'clearml/acme',
      path: 'tenants',
      recursive: true,
      perPage: 2,
    });
    expect(tree.map(e => e.path).sort()).toEqual([
      'tenants/acme',
      'tenants/acme/run.sh',
      'tenants/acme/values.yaml',
      'tenants/other',
      'tenants/other/values.yaml',
    ]);
    expect(
      double.requests.filter(r => r.path.endsWith('/repository/tree')).length,
    ).toBeGreaterThan(2);
    const missing = await gitlab.Repositories.allRepositoryTrees(PROJECT, {
      ref: 'main',
      path: 'tenants/acme',
    }).catch(e => e);
    expect(missing.cause.description).toBe('404 Tree Not Found');
  });

  it('opens one merge request per source branch, lists it by source branch and state, and merges or closes it', async () => {
    const reviewer = await gitlab.Users.all({ username: 'platform-admin' });
    const mr = await gitlab.MergeRequests.create(
      PROJECT,
      'clearml/acme',
      'main',
      'ClearML tenant acme',
      {
        description: '## Tenant acme',
        labels: 'clearml,tenant',
        reviewerIds: [reviewer[0].id],
      },
    );
    expect(mr).toMatchObject({
      iid: 1,
      state: 'opened',
      labels: ['clearml', 'tenant'],
      reviewers: [{ username: 'platform-admin' }],
      web_url: `${double.url}/${PROJECT}/-/merge_requests/1`,
      sha: double.branchHead(PROJECT, 'clearml/acme')!.sha,
    });
    const second = await gitlab.MergeRequests.create(
      PROJECT,
      'clearml/acme',
      'main',
      'again',
    ).catch(e => e);
    expect(second.cause.response.status).toBe(409);
    expect(JSON.parse(second.cause.description)).toEqual([
      'Another open merge request already exists for this source branch: !1',
    ]);
    const listed = await gitlab.MergeRequests.all({
      projectId: PROJECT,
      sourceBranch: 'clearml/acme',
      state: 'opened',
    });
    expect(listed.map(m => m.iid)).toEqual([1]);

    const before = double.branchHead(PROJECT, 'main')!.sha;
    double.mergeMergeRequest(PROJECT, 1);
    const merged = await gitlab.MergeRequests.show(PROJECT, 1);
    expect(merged).toMatchObject({ state: 'merged' });
    expect(merged.merged_at).toEqual(expect.any(String));
    const main = double.branchHead(PROJECT, 'main')!;
    expect(main.parents).toEqual([
      before,
      double.branchHead(PROJECT, 'clearml/acme')!.sha,
    ]);
    expect(
      double.filesAt(PROJECT, 'main')['tenants/acme/values.yaml'],
    ).toBeDefined();
    await expect(
      gitlab.MergeRequests.all({
        projectId: PROJECT,
        sourceBranch: 'clearml/acme',
        state: 'opened',
      }),
    ).resolves.toEqual([]);

    double.commitFiles(PROJECT, 'clearml/b', { 'tenants/b/x': '1' });
    const other = await gitlab.MergeRequests.create(
      PROJECT,
      'clearml/b',
      'main',
      'b',
    );
    double.closeMergeRequest(PROJECT, other.iid);
    await expect(
      gitlab.MergeRequests.show(PROJECT, other.iid),
    ).resolves.toMatchObject({
      state: 'closed',
    });
  });

  it('fails injected requests with the status asked for', async () => {
    double.failOn({
      method: 'GET',
      path: /\/repository\/branches\//,
      status: 500,
      times: 1,
    });
    const error = await gitlab.Branches.show(PROJECT, 'main').catch(e => e);
    expect(error.cause.response.status).toBe(500);
    await expect(gitlab.Branches.show(PROJECT, 'main')).resolves.toMatchObject({
      name: 'main',
    });
  });
});
