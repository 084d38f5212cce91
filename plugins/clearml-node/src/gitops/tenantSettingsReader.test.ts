import { ConfigReader } from '@backstage/config';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  DefaultGithubCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';
import {
  renderTenantSettings,
  TenantSettings,
} from '@clearml-openshift/plugin-clearml-common';
import { GithubApiDouble } from '@internal/clearml-test-utils';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { createGithubClientFactory } from './github/client';
import { githubRepositoryReader } from './github/reader';
import { commitLocalFiles, ensureBareRepository } from './local/commit';
import { localRepositoryReader } from './local/reader';
import { localBranchHead } from './local/repository';
import { LocalGitTarget, localRepositoryPath } from './localTargets';
import type { GitopsRepositoryReader } from './reader';
import { readTenantSettings } from './tenantSettingsReader';

const SETTINGS: TenantSettings = {
  tenant: 'acme',
  owner: 'group:default/ml-team',
  cluster: 'ocp-prod',
  namespace: 'clearml-acme',
  domain: 'clearml-acme.apps.ocp.example.com',
  edition: 'oss',
  releaseName: 'clearml',
  securityProfile: 'anyuid',
  exposure: 'route',
  storageClassName: 'gp3-csi',
  agent: { enabled: false, queue: 'default' },
  appGateway: { enabled: false },
  tier: 'small',
  repoUrl: 'github.com?owner=platform&repo=gitops',
};

const ACME = {
  'tenants/acme/clearml-values.yaml': 'clearml: {}\n',
  'tenants/acme/routes.yaml': '# routes\n',
  'tenants/acme/tenant-settings.yaml': renderTenantSettings(SETTINGS),
};
const OTHER = {
  'tenants/acme-two/tenant-settings.yaml': renderTenantSettings({
    ...SETTINGS,
    tenant: 'acme-two',
    namespace: 'clearml-acme-two',
  }),
  'README.md': '# GitOps\n',
};

type Repository = (
  files: Record<string, string>,
) => Promise<GitopsRepositoryReader>;

/** A GitHub repository in the API double, read through the production client factory. */
function githubRepositories(): Repository {
  let github: GithubApiDouble;
  let count = 0;
  beforeAll(async () => {
    github = await GithubApiDouble.start({ tokens: { ghp_reader: 'bot' } });
  });
  afterAll(() => github.close());
  return async files => {
    const repo = `gitops-${++count}`;
    github.createRepository({ owner: 'platform', repo, files });
    const integrations = ScmIntegrations.fromConfig(
      new ConfigReader({
        integrations: {
          github: [
            {
              host: 'github.example.com',
              apiBaseUrl: github.apiBaseUrl,
              token: 'ghp_reader',
            },
          ],
        },
      }),
    );
    const client = await createGithubClientFactory({
      throttle: { enabled: false },
    })({
      integrations,
      credentialsProvider:
        DefaultGithubCredentialsProvider.fromIntegrations(integrations),
      host: 'github.example.com',
      owner: 'platform',
      repo,
    });
    return githubRepositoryReader(client, 'platform', repo);
  };
}

/** A local target's bare repository on disk. */
function localRepositories(): Repository {
  const dirs: string[] = [];
  afterAll(() =>
    dirs.forEach(d => fs.rmSync(d, { recursive: true, force: true })),
  );
  return async files => {
    const baseDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clearml-record-'));
    dirs.push(baseDir);
    const target = {
      host: 'git.local',
      baseDir,
      defaultBranch: 'main',
      repositories: ['platform/gitops'],
      author: { name: 'Backstage', email: 'backstage@localhost' },
    } as LocalGitTarget;
    const gitdir = localRepositoryPath(target, 'platform', 'gitops');
    await ensureBareRepository(target, gitdir);
    const head = await localBranchHead(gitdir, 'main');
    await commitLocalFiles(gitdir, {
      branch: 'main',
      expectedHead: head,
      parent: head,
      replace: [],
      files: Object.entries(files).map(([p, content]) => ({
        path: p,
        content: Buffer.from(content),
        mode: '100644' as const,
      })),
      message: 'tenants\n',
      author: target.author,
      where: 'git.local/platform/gitops',
    });
    return localRepositoryReader(target, 'platform', 'gitops');
  };
}

describe.each([
  ['GitHub', githubRepositories],
  ['a local target', localRepositories],
])('readTenantSettings from %s', (_kind, repositories) => {
  const repository = repositories();

  it("reads the record and every merged file of the tenant's directory, and no other tenant's", async () => {
    const read = await readTenantSettings(
      await repository({ ...ACME, ...OTHER }),
      'acme',
    );
    expect(read.settings).toEqual(SETTINGS);
    expect(read.directory).toBe('tenants/acme');
    expect(read.defaultBranch).toBe('main');
    expect(
      Object.fromEntries(
        [...read.files].map(([p, content]) => [p, content.toString('utf8')]),
      ),
    ).toEqual(ACME);
  });

  it('refuses a tenant created before the record, naming the file and how to add it', async () => {
    const { 'tenants/acme/tenant-settings.yaml': _, ...withoutRecord } = ACME;
    const error = await readTenantSettings(
      await repository(withoutRecord),
      'acme',
    ).catch(e => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toMatch(
      /^tenants\/acme\/tenant-settings.yaml is not on branch main: .*Add it by hand: .*apiVersion clear.ml\/v1alpha1, kind TenantSettings/,
    );
  });

  it('refuses a tenant with no merged directory, naming it', async () => {
    const error = await readTenantSettings(
      await repository(OTHER),
      'acme',
    ).catch(e => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toMatch(/^tenants\/acme\/ is not on branch main/);
  });

  it('refuses a malformed record with every problem, naming the file and the fields', async () => {
    const error = await readTenantSettings(
      await repository({
        ...ACME,
        'tenants/acme/tenant-settings.yaml': ACME[
          'tenants/acme/tenant-settings.yaml'
        ]
          .replace('tier: small', 'tier: Huge!')
          .replace('exposure: route', 'exposure: nodeport'),
      }),
      'acme',
    ).catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(
      /^tenants\/acme\/tenant-settings.yaml on branch main is not a valid settings record: .*spec\.exposure: .*spec\.tier: /,
    );
  });

  it("refuses another tenant's record in the tenant's directory", async () => {
    const error = await readTenantSettings(
      await repository({
        'tenants/acme/tenant-settings.yaml':
          OTHER['tenants/acme-two/tenant-settings.yaml'],
      }),
      'acme',
    ).catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(
      /spec\.tenant is "acme-two", but the record is tenant acme's/,
    );
  });
});

it('refuses a tenant name that is not one before reading anything', async () => {
  const reader: GitopsRepositoryReader = {
    defaultBranch: 'main',
    filesIn: () => Promise.reject(new Error('read')),
    openChange: () => Promise.reject(new Error('read')),
  };
  await expect(readTenantSettings(reader, '../acme')).rejects.toThrow(
    /^tenant: /,
  );
});
