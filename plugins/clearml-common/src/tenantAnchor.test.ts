import { tenantAnchorOf, TenantAnchorSources } from './tenantAnchor';
import { branchNameProblem } from './gitRefs';

const SHA = 'a'.repeat(40);
const sources: TenantAnchorSources = {
  repositories: [
    { host: 'github.com', owner: 'platform', repo: 'gitops' },
    { host: 'gitlab.example.com', owner: 'platform/infra', repo: 'gitops' },
  ],
  localHosts: ['git.local'],
  clearmlBaseUrls: ['http://localhost:7007/api/clearml'],
};

function entity(location: string | undefined, overrides: any = {}) {
  return {
    kind: 'Resource',
    ...overrides,
    metadata: {
      name: 'acme',
      namespace: 'default',
      annotations: location
        ? { 'backstage.io/managed-by-location': location }
        : {},
      ...overrides.metadata,
    },
    spec: { type: 'clearml-tenant', ...overrides.spec },
  };
}

const GITHUB = `url:https://github.com/platform/gitops/blob/${SHA}/tenants/acme/catalog-info.yaml`;
const GITLAB = `url:https://gitlab.example.com/platform/infra/gitops/-/blob/${SHA}/tenants/acme/catalog-info.yaml`;
const LOCAL = `url:http://localhost:7007/api/clearml/v1/local-git/git.local/platform/gitops/${SHA}/tenants/acme/catalog-info.yaml`;

describe('tenantAnchorOf', () => {
  it("anchors the tenant's own file in a configured repository, on GitHub or through the local-git route", () => {
    expect(tenantAnchorOf(entity(GITHUB), sources)).toEqual({
      anchor: {
        tenant: 'acme',
        kind: 'github',
        ref: SHA,
        repository: { host: 'github.com', owner: 'platform', repo: 'gitops' },
      },
    });
    expect(tenantAnchorOf(entity(LOCAL), sources)).toEqual({
      anchor: {
        tenant: 'acme',
        kind: 'local',
        ref: SHA,
        repository: { host: 'git.local', owner: 'platform', repo: 'gitops' },
      },
    });
  });

  it("anchors the tenant's own file in a configured GitLab project of a subgroup", () => {
    expect(tenantAnchorOf(entity(GITLAB), sources)).toEqual({
      anchor: {
        tenant: 'acme',
        kind: 'gitlab',
        ref: SHA,
        repository: {
          host: 'gitlab.example.com',
          owner: 'platform/infra',
          repo: 'gitops',
        },
      },
    });
  });

  it.each([
    [
      'another GitLab project whose path ends like the configured one',
      entity(GITLAB.replace('/platform/infra/', '/mallory/platform/infra/')),
      'not registered',
    ],
    [
      'a parent group of the configured project',
      entity(GITLAB.replace('/platform/infra/gitops/', '/platform/infra/')),
      'not registered',
    ],
    [
      "another tenant's file on GitLab",
      entity(GITLAB.replace('tenants/acme/', 'tenants/vision/')),
      'not registered',
    ],
    [
      'a GitLab raw URL',
      entity(GITLAB.replace('/-/blob/', '/-/raw/')),
      'not registered',
    ],
    [
      'a GitLab URL on another host',
      entity(GITLAB.replace('gitlab.example.com', 'gitlab.evil.com')),
      'not registered',
    ],
    [
      'another kind',
      entity(GITHUB, { kind: 'Component' }),
      'it is a Component, not a Resource',
    ],
    [
      'another type',
      entity(GITHUB, { spec: { type: 'database' } }),
      'its spec.type is "database"',
    ],
    [
      'another catalog namespace',
      entity(GITHUB, { metadata: { namespace: 'evil' } }),
      "catalog namespace 'evil'",
    ],
    ['no location', entity(undefined), 'it comes from "nowhere"'],
    [
      'a file location',
      entity('file:/work/tenants/acme/catalog-info.yaml'),
      'not registered from its own file',
    ],
    [
      'another organisation',
      entity(GITHUB.replace('/platform/', '/mallory/')),
      'not registered',
    ],
    [
      'another host',
      entity(GITHUB.replace('github.com', 'github.evil.com')),
      'not registered',
    ],
    [
      "another tenant's file",
      entity(GITHUB.replace('tenants/acme/', 'tenants/vision/')),
      'not registered',
    ],
    [
      'a file below the tenant',
      entity(GITHUB.replace('tenants/acme/', 'tenants/acme/x/')),
      'not registered',
    ],
    [
      'a branch with a slash',
      entity(GITHUB.replace(SHA, 'clearml/acme')),
      'not registered',
    ],
    ['a query', entity(`${GITHUB}?x=1`), 'not registered'],
    ['plain http', entity(GITHUB.replace('https:', 'http:')), 'not registered'],
    [
      'a local route on another server',
      entity(LOCAL.replace('localhost:7007', 'evil.example.com')),
      'not registered',
    ],
    [
      'a local target that is not configured',
      entity(LOCAL.replace('/git.local/', '/git.evil/')),
      'not registered',
    ],
    [
      'a local route at a branch',
      entity(LOCAL.replace(SHA, 'main')),
      'not registered',
    ],
    [
      'encoded traversal',
      entity(LOCAL.replace('tenants/acme', 'tenants%2F..%2Facme')),
      'not registered',
    ],
  ])('refuses %s', (_, e, reason) => {
    const result = tenantAnchorOf(e as any, sources);
    expect('problem' in result && result.problem).toContain(reason);
  });
});

describe('branchNameProblem', () => {
  it('accepts branches under refs/heads and refuses what leaves it', () => {
    for (const ok of ['clearml/acme', 'main', 'feature/x-1.2'])
      expect(branchNameProblem(ok)).toBeUndefined();
    for (const bad of [
      '../../HEAD',
      'a..b',
      '/x',
      'x/',
      'a//b',
      '-x',
      'a b',
      'a:b',
      'a~1',
      'x.lock',
      '.x',
      'x.',
      '@',
      '',
      'HEAD',
      'refs/heads/x',
      'a@{1}',
      'a\\b',
    ])
      expect({ bad, problem: branchNameProblem(bad) }).toEqual({
        bad,
        problem: expect.any(String),
      });
  });
});
