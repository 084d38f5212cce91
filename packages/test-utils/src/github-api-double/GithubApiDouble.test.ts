import { execFileSync } from 'child_process';
import { Octokit } from 'octokit';
import { GithubApiDouble } from './GithubApiDouble';

describe('GitHub API double', () => {
  let double: GithubApiDouble;
  let octokit: InstanceType<typeof Octokit>;

  beforeAll(async () => {
    double = await GithubApiDouble.start();
    double.createRepository({
      owner: 'platform',
      repo: 'gitops',
      files: {
        'README.md': '# GitOps\n',
        'tenants/other/values.yaml': 'a: 1\n',
      },
    });
    octokit = new Octokit({
      auth: 'ghp_double',
      baseUrl: double.apiBaseUrl,
      retry: { enabled: false },
      throttle: { enabled: false },
    });
  });

  afterAll(() => double.close());

  it("answers a repository with its default branch and the token's permissions", async () => {
    const { data, headers } = await octokit.request(
      'GET /repos/{owner}/{repo}',
      { owner: 'platform', repo: 'gitops' },
    );
    expect(data).toMatchObject({
      full_name: 'platform/gitops',
      default_branch: 'main',
      permissions: { push: true },
    });
    expect(headers['x-oauth-scopes']).toBe('repo');
  });

  it('answers the pulls list with an ETag, and 304 without a body to a matching If-None-Match', async () => {
    const url = `${double.apiBaseUrl}/repos/platform/gitops/pulls?state=all&head=platform:nothing`;
    const auth = { authorization: 'token ghp_double' };
    const first = await fetch(url, { headers: auth });
    const etag = first.headers.get('etag')!;
    expect([first.status, await first.json()]).toEqual([200, []]);
    expect(etag).toMatch(/^W\/"[0-9a-f]{40}"$/);
    const again = await fetch(url, {
      headers: { ...auth, 'if-none-match': etag },
    });
    expect([again.status, await again.text()]).toEqual([304, '']);
    const other = await fetch(url, {
      headers: { ...auth, 'if-none-match': 'W/"0"' },
    });
    expect(other.status).toBe(200);
  });

  it('computes the blob SHA git computes', async () => {
    const { data } = await octokit.request(
      'POST /repos/{owner}/{repo}/git/blobs',
      {
        owner: 'platform',
        repo: 'gitops',
        content: 'hello\n',
        encoding: 'utf-8',
      },
    );
    const expected = execFileSync('git', ['hash-object', '--stdin'], {
      input: 'hello\n',
    })
      .toString()
      .trim();
    expect(data.sha).toBe(expected);
  });

  it('builds a tree on a base tree, commits it and moves a branch', async () => {
    const {
      data: [head],
    } = await octokit.request('GET /repos/{owner}/{repo}/commits', {
      owner: 'platform',
      repo: 'gitops',
      sha: 'main',
      per_page: 1,
    });
    const { data: tree } = await octokit.request(
      'POST /repos/{owner}/{repo}/git/trees',
      {
        owner: 'platform',
        repo: 'gitops',
        base_tree: head.commit.tree.sha,
        tree: [
          { path: 'tenants/acme/run.sh', mode: '100755', content: 'echo hi\n' },
        ],
      },
    );
    const { data: commit } = await octokit.request(
      'POST /repos/{owner}/{repo}/git/commits',
      {
        owner: 'platform',
        repo: 'gitops',
        message: 'Add acme',
        tree: tree.sha,
        parents: [head.sha],
      },
    );
    await octokit.request('POST /repos/{owner}/{repo}/git/refs', {
      owner: 'platform',
      repo: 'gitops',
      ref: 'refs/heads/topic',
      sha: commit.sha,
    });
    expect(double.filesAt('platform', 'gitops', 'topic')).toEqual({
      'README.md': { content: '# GitOps\n', mode: '100644' },
      'tenants/other/values.yaml': { content: 'a: 1\n', mode: '100644' },
      'tenants/acme/run.sh': { content: 'echo hi\n', mode: '100755' },
    });
    expect(double.changedPaths(commit.sha)).toEqual(['tenants/acme/run.sh']);

    const { data: ref } = await octokit.request(
      'GET /repos/{owner}/{repo}/git/ref/{ref}',
      {
        owner: 'platform',
        repo: 'gitops',
        ref: 'heads/topic',
      },
    );
    expect(ref.object.sha).toBe(commit.sha);

    // Creating it again is GitHub's 422 "Reference already exists".
    await expect(
      octokit.request('POST /repos/{owner}/{repo}/git/refs', {
        owner: 'platform',
        repo: 'gitops',
        ref: 'refs/heads/topic',
        sha: commit.sha,
      }),
    ).rejects.toMatchObject({
      status: 422,
      response: {
        data: {
          message: 'Reference already exists',
          documentation_url: expect.any(String),
          status: '422',
        },
      },
    });
  });

  it('reads directories and files through the contents API and 404s the rest', async () => {
    const { data } = await octokit.request(
      'GET /repos/{owner}/{repo}/contents/{path}',
      {
        owner: 'platform',
        repo: 'gitops',
        path: 'tenants',
        ref: 'main',
      },
    );
    expect(data).toEqual([
      expect.objectContaining({
        type: 'dir',
        name: 'other',
        path: 'tenants/other',
      }),
    ]);
    await expect(
      octokit.request('GET /repos/{owner}/{repo}/contents/{path}', {
        owner: 'platform',
        repo: 'gitops',
        path: 'tenants/acme',
        ref: 'main',
      }),
    ).rejects.toMatchObject({
      status: 404,
      response: { data: { message: 'Not Found' } },
    });
  });

  it('refuses a bad token with 401 Bad credentials', async () => {
    const stranger = new Octokit({
      auth: 'nope',
      baseUrl: double.apiBaseUrl,
      retry: { enabled: false },
      throttle: { enabled: false },
    });
    await expect(
      stranger.request('GET /repos/{owner}/{repo}', {
        owner: 'platform',
        repo: 'gitops',
      }),
    ).rejects.toMatchObject({
      status: 401,
      response: { data: { message: 'Bad credentials', status: '401' } },
    });
  });

  it('fails a path on demand and logs every request', async () => {
    double.failOn({
      method: 'GET',
      path: /^\/repos\/platform\/gitops$/,
      status: 503,
      times: 1,
    });
    await expect(
      octokit.request('GET /repos/{owner}/{repo}', {
        owner: 'platform',
        repo: 'gitops',
      }),
    ).rejects.toMatchObject({
      status: 503,
    });
    await expect(
      octokit.request('GET /repos/{owner}/{repo}', {
        owner: 'platform',
        repo: 'gitops',
      }),
    ).resolves.toMatchObject({
      status: 200,
    });
    expect(
      double.requests.slice(-2).map(r => [r.method, r.path, r.status]),
    ).toEqual([
      ['GET', '/repos/platform/gitops', 503],
      ['GET', '/repos/platform/gitops', 200],
    ]);
  });
});
