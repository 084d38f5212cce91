import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { gitopsTargetAt, resolveGitopsTarget } from './targets';

const integrations = ScmIntegrations.fromConfig(
  new ConfigReader({
    integrations: {
      github: [{ host: 'ghe.example.test', token: 't' }],
      gitlab: [
        {
          host: 'gitlab.example.test',
          apiBaseUrl: 'https://gitlab.example.test/api/v4',
          token: 't',
        },
      ],
      bitbucketCloud: [{ username: 'u', appPassword: 'p' }],
    },
  }),
);
const options = {
  integrations,
  localTargets: [
    {
      host: 'git.local',
      baseDir: '/nonexistent',
      defaultBranch: 'main',
      author: { name: 'B', email: 'b@localhost' },
    },
  ],
};

describe('resolveGitopsTarget', () => {
  it('picks the kind by host: local targets, then GitLab and GitHub integrations', () => {
    expect(
      resolveGitopsTarget('git.local?owner=platform&repo=gitops', options),
    ).toMatchObject({
      kind: 'local',
      owner: 'platform',
      defaultBranch: 'main',
    });
    expect(
      resolveGitopsTarget(
        'ghe.example.test?owner=/platform/&repo=gitops',
        options,
      ),
    ).toMatchObject({ kind: 'github', owner: 'platform', repo: 'gitops' });
    expect(
      resolveGitopsTarget(
        'gitlab.example.test?owner=platform/infra&repo=gitops',
        options,
      ),
    ).toMatchObject({ kind: 'gitlab', owner: 'platform/infra' });
  });

  it('refuses what no kind serves, and a repository tenants do not live in, naming repoUrl', () => {
    expect(() =>
      resolveGitopsTarget('nowhere.test?owner=a&repo=b', options),
    ).toThrow(/^repoUrl: host nowhere\.test is neither/);
    expect(() =>
      resolveGitopsTarget('bitbucket.org?owner=a&repo=b', options),
    ).toThrow(/^repoUrl: host bitbucket\.org is a bitbucketCloud integration/);
    expect(() => resolveGitopsTarget('git.local?owner=a', options)).toThrow(
      /^repoUrl: owner and repo are required/,
    );
    expect(() =>
      resolveGitopsTarget('ghe.example.test?owner=other&repo=gitops', {
        ...options,
        repositories: [
          { host: 'ghe.example.test', owner: 'platform', repo: 'gitops' },
        ],
      }),
    ).toThrow(
      /^repoUrl: ghe\.example\.test\/other\/gitops is not one of the GitOps repositories/,
    );
  });
});

describe('gitopsTargetAt', () => {
  it('reads an unknown host as GitHub, whose change request then says what is not configured', async () => {
    const target = gitopsTargetAt(
      { host: 'nowhere.test', owner: 'a', repo: 'b' },
      options,
    );
    expect(await target.readChangeRequest('clearml/acme')).toEqual({
      id: 'pullRequest',
      state: 'unknown',
      summary: 'Pull request unknown',
      unavailable:
        'No GitHub integration is configured for nowhere.test (integrations.github)',
    });
  });

  it('reads a local repository that does not exist as unknown, with the reason', async () => {
    const target = gitopsTargetAt(
      { host: 'git.local', owner: 'platform', repo: 'gitops' },
      options,
    );
    expect(await target.readChangeRequest('clearml/acme')).toMatchObject({
      state: 'unknown',
      unavailable: 'The local repository platform/gitops does not exist',
    });
  });
});
