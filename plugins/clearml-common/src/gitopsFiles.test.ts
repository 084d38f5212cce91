import { gitlabFileUrl, parseRepoPickerUrl } from './gitopsFiles';

describe('parseRepoPickerUrl', () => {
  it('reads a GitHub repository and a GitLab project of a subgroup', () => {
    expect(parseRepoPickerUrl('github.com?owner=platform&repo=gitops')).toEqual(
      { host: 'github.com', owner: 'platform', repo: 'gitops' },
    );
    expect(
      parseRepoPickerUrl('gitlab.example.com?owner=platform/infra&repo=gitops'),
    ).toEqual({
      host: 'gitlab.example.com',
      owner: 'platform/infra',
      repo: 'gitops',
    });
  });

  it.each([
    'gitlab.example.com?owner=platform/../admin&repo=gitops',
    'gitlab.example.com?owner=/platform&repo=gitops',
    'gitlab.example.com?owner=platform/&repo=gitops',
    'gitlab.example.com?owner=platform&repo=..',
    'gitlab.example.com?owner=platform&repo=a/b',
    'gitlab.example.com/x?owner=platform&repo=gitops',
    'user@gitlab.example.com?owner=platform&repo=gitops',
  ])('refuses %s', repoUrl => {
    expect(parseRepoPickerUrl(repoUrl)).toBeUndefined();
  });
});

describe('gitlabFileUrl', () => {
  it("is the /-/blob/<sha>/ URL Backstage's GitLab reader reads, below the instance's base URL", () => {
    expect(
      gitlabFileUrl('https://gitlab.example.com/', {
        host: 'gitlab.example.com',
        owner: 'platform/infra',
        repo: 'gitops',
        commit: 'a'.repeat(40),
        path: 'tenants/acme/catalog-info.yaml',
      }),
    ).toBe(
      `https://gitlab.example.com/platform/infra/gitops/-/blob/${'a'.repeat(40)}/tenants/acme/catalog-info.yaml`,
    );
  });
});
