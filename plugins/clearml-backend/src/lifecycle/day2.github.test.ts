/**
 * The day-2 pull requests on GitHub: Backstage's GitHub integration and the production octokit reader against the
 * GitHub API double. A pull request from another owner's fork, on a branch of the same name, is not the tenant's.
 */
import { Octokit } from 'octokit';
import { ScmIntegrations } from '@backstage/integration';
import { ConfigReader } from '@backstage/config';
import {
  createGithubReadClientFactory,
  LocalGitTarget,
} from '@clearml-openshift/plugin-clearml-node';
import { GithubApiDouble } from '@internal/clearml-test-utils';
import { changeStage, readDay2PullRequest } from './day2';
import { PullRequestReader } from './pullRequest';

const TOKEN = 'ghp_day2';
const SOURCE = {
  repoUrl: 'ghe.example.test?owner=platform&repo=gitops',
  branch: 'clearml/acme',
};
const SYNCED = {
  id: 'sync' as const,
  state: 'done' as const,
  summary: 'Synced, Healthy',
};

let github: GithubApiDouble;
let octokit: Octokit;
let reader: PullRequestReader;

/** A branch one commit ahead of main in `owner`/gitops, and a pull request from it into platform/gitops. */
async function openPull(owner: string, branch: string): Promise<number> {
  const repo = { owner, repo: 'gitops' };
  const main = await octokit.rest.git.getRef({ ...repo, ref: 'heads/main' });
  const base = await octokit.rest.git.getTree({
    ...repo,
    tree_sha: main.data.object.sha,
  });
  const tree = await octokit.rest.git.createTree({
    ...repo,
    base_tree: base.data.sha,
    tree: [
      {
        path: 'tenants/acme/values.yaml',
        mode: '100644',
        type: 'blob',
        content: `# ${branch}\n`,
      },
    ],
  });
  const commit = await octokit.rest.git.createCommit({
    ...repo,
    message: branch,
    tree: tree.data.sha,
    parents: [main.data.object.sha],
  });
  await octokit.rest.git.createRef({
    ...repo,
    ref: `refs/heads/${branch}`,
    sha: commit.data.sha,
  });
  const pull = await octokit.rest.pulls.create({
    owner: 'platform',
    repo: 'gitops',
    head: owner === 'platform' ? branch : `${owner}:${branch}`,
    base: 'main',
    title: branch,
  });
  return pull.data.number;
}

beforeAll(async () => {
  github = await GithubApiDouble.start({
    tokens: { [TOKEN]: 'backstage-bot' },
  });
  for (const owner of ['platform', 'mallory'])
    github.createRepository({
      owner,
      repo: 'gitops',
      files: { 'README.md': '# GitOps\n' },
    });
  octokit = new Octokit({
    baseUrl: github.apiBaseUrl,
    auth: TOKEN,
    throttle: { enabled: false },
  });
  reader = {
    integrations: ScmIntegrations.fromConfig(
      new ConfigReader({
        integrations: {
          github: [
            {
              host: 'ghe.example.test',
              apiBaseUrl: github.apiBaseUrl,
              token: TOKEN,
            },
          ],
        },
      }),
    ),
    localTargets: [] as LocalGitTarget[],
    github: createGithubReadClientFactory(),
  };
});
afterAll(() => github?.close());

const read = () =>
  readDay2PullRequest('change', SOURCE, 'acme', reader, {
    id: 'pullRequest',
    state: 'done',
    summary: 'Pull request #1 merged',
  });

describe('day-2 pull requests on GitHub', () => {
  it("ignores a fork's pull request from a branch of the same name, then follows the tenant's own", async () => {
    await openPull('mallory', 'clearml-change/acme');
    expect(await read()).toBeUndefined();

    const number = await openPull('platform', 'clearml-change/acme');
    const open = (await read())!;
    expect(changeStage(open, SYNCED).stage).toEqual({
      id: 'change',
      state: 'active',
      summary: `Change pending review: Pull request #${number} waiting for review`,
      url: expect.stringMatching(
        new RegExp(`/platform/gitops/pull/${number}$`),
      ),
    });

    // Asked again, unchanged: a conditional request GitHub answers 304 (free of rate limit), the same stage.
    const lists = () =>
      github.requests.filter(
        r =>
          r.path === '/repos/platform/gitops/pulls' &&
          r.query.head === 'platform:clearml-change/acme',
      );
    const before = lists().length;
    expect(changeStage((await read())!, SYNCED).stage.summary).toBe(
      `Change pending review: Pull request #${number} waiting for review`,
    );
    expect(
      lists()
        .slice(before)
        .map(r => r.status),
    ).toEqual([304]);

    // Merged: the answer changed, read in full; with GitHub's merge time, an Application Argo CD last compared
    // before the merge is still applying it, one compared after is changed.
    const mergedAt = Date.now();
    github.mergePullRequest('platform', 'gitops', number);
    const merged = (await read())!;
    expect(lists().at(-1)!.status).toBe(200);
    expect(Date.parse(merged.since!)).toBeGreaterThanOrEqual(mergedAt - 1000);
    const reconciled = (at: number) => [
      {
        metadata: { name: 'clearml-acme-server' },
        status: { reconciledAt: new Date(at).toISOString() },
      },
    ];
    expect(
      changeStage(merged, SYNCED, reconciled(mergedAt - 60_000)).stage,
    ).toMatchObject({
      state: 'active',
      summary: expect.stringContaining('has not compared clearml-acme-server'),
    });
    expect(
      changeStage(merged, SYNCED, reconciled(mergedAt + 60_000)).stage,
    ).toMatchObject({
      state: 'done',
      summary: `Changed: Pull request #${number} merged`,
    });
  });

  it('leaves no stage for a change closed without merging', async () => {
    const number = await openPull('platform', 'clearml-change/acme-2');
    await octokit.rest.pulls.update({
      owner: 'platform',
      repo: 'gitops',
      pull_number: number,
      state: 'closed',
    });
    expect(
      await readDay2PullRequest('change', SOURCE, 'acme-2', reader),
    ).toBeUndefined();
  });
});
