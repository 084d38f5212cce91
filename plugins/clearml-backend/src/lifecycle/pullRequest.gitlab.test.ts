import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { createGitlabClientFactory } from '@clearml-openshift/plugin-clearml-node';
import { GITLAB_ACCESS, GitlabApiDouble } from '@internal/clearml-test-utils';
import { PullRequestReader, readPullRequestStage } from './pullRequest';

const PROJECT = 'platform/infra/gitops';

describe('the pull-request stage of a tenant on GitLab', () => {
  let gitlab: GitlabApiDouble;
  let reader: (token: string) => PullRequestReader;

  beforeAll(async () => {
    gitlab = await GitlabApiDouble.start({
      tokens: { 'glpat-read': { username: 'backstage', scopes: ['read_api'] } },
    });
    gitlab.createProject({
      path: PROJECT,
      members: {
        backstage: GITLAB_ACCESS.reporter,
        bot: GITLAB_ACCESS.developer,
      },
    });
    reader = token => ({
      integrations: ScmIntegrations.fromConfig(
        new ConfigReader({
          integrations: {
            gitlab: [
              { host: gitlab.host, apiBaseUrl: gitlab.apiBaseUrl, token },
            ],
          },
        }),
      ),
      localTargets: [],
      github: () => {
        throw new Error('a GitLab host is never read through GitHub');
      },
      gitlab: createGitlabClientFactory(),
    });
  });

  afterAll(() => gitlab.close());

  const read = (branch: string, token = 'glpat-read') =>
    readPullRequestStage(
      { repoUrl: `${gitlab.host}?owner=platform/infra&repo=gitops`, branch },
      reader(token),
    );

  /** What the GitOps action leaves: a branch with a commit, and its merge request. */
  function openMergeRequest(branch: string): number {
    gitlab.commitFiles(PROJECT, branch, { [`tenants/${branch}/x.yaml`]: 'x' });
    const iid = gitlab.mergeRequests(PROJECT).length + 1;
    gitlab.openMergeRequestAs(
      'bot',
      PROJECT,
      branch,
      'main',
      `Tenant ${branch}`,
    );
    return iid;
  }

  it('reads an open merge request as waiting for review, linked', async () => {
    const iid = openMergeRequest('clearml/open');
    await expect(read('clearml/open')).resolves.toEqual({
      id: 'pullRequest',
      state: 'active',
      summary: `Merge request !${iid} waiting for review`,
      url: `${gitlab.url}/${PROJECT}/-/merge_requests/${iid}`,
    });
  });

  it('reads a merged one as done and a closed one as failed', async () => {
    const merged = openMergeRequest('clearml/merged');
    gitlab.mergeMergeRequest(PROJECT, merged);
    await expect(read('clearml/merged')).resolves.toMatchObject({
      state: 'done',
      summary: `Merge request !${merged} merged`,
      since: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    });
    const closed = openMergeRequest('clearml/closed');
    gitlab.closeMergeRequest(PROJECT, closed);
    await expect(read('clearml/closed')).resolves.toMatchObject({
      state: 'failed',
      summary: `Merge request !${closed} closed without merging`,
    });
  });

  it('says why it cannot tell: no merge request from the branch, a token GitLab refuses', async () => {
    await expect(read('clearml/none')).resolves.toMatchObject({
      state: 'unknown',
      unavailable:
        'No merge request from clearml/none in platform/infra/gitops',
    });
    await expect(read('clearml/open', 'glpat-revoked')).resolves.toMatchObject({
      state: 'unknown',
      unavailable: `GitLab ${gitlab.host} answered 401 Unauthorized for platform/infra/gitops`,
    });
  });
});
