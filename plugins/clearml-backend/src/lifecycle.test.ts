/**
 * The tenant's lifecycle on the health report, end to end: the pull request
 * read through the GitHub integration (octokit against the GitHub API double)
 * or from a local git target (a bare repository), the Argo CD Applications
 * from the Kubernetes API double, the components as before.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AddressInfo } from 'node:net';
import { Octokit } from 'octokit';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  parseRepoPickerUrl,
  TENANT_OWNER_LABEL,
  TenantHealth,
  tenantEntityAnnotations,
} from '@clearml-openshift/plugin-clearml-common';
import { anchored, localTenantLocation } from './__testUtils__/anchor';
import {
  LocalGitTarget,
  commitLocalFiles,
  compareAndSwapBranch,
  ensureBareRepository,
  localBranchHead,
  localRepositoryPath,
} from '@clearml-openshift/plugin-clearml-node';
import {
  ACME,
  FixtureTenant,
  GithubApiDouble,
  KubeObject,
  KubernetesApiDouble,
  healthyTenantObjects,
} from '@internal/clearml-test-utils';
import clearmlPlugin from './index';

// Backends, doubles and informers start in beforeAll; on a loaded machine that takes more than jest's 5 s.
jest.setTimeout(60_000);

const READ_TOKEN = 'lifecycle-read-token';
const GITHUB_TOKEN = 'ghp_lifecycle';
const GITHUB_HOST = 'ghe.example.test';

const tenantOf = (name: string): FixtureTenant => ({
  ...ACME,
  namespace: `clearml-${name}`,
  domain: `${name}.example.com`,
});

function namespaceOf(name: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: `clearml-${name}`,
      labels: { [TENANT_OWNER_LABEL]: name },
    },
  };
}

function application(
  tenant: string,
  sync: string,
  health: string,
  extra: Record<string, unknown> = {},
): KubeObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: `clearml-${tenant}-server`,
      namespace: 'openshift-gitops',
      labels: { [TENANT_OWNER_LABEL]: tenant },
    },
    spec: { project: 'default' },
    status: { sync: { status: sync }, health: { status: health }, ...extra },
  };
}

/** The clearml backend's base URL, once the test backend listens (local tenants are registered through it). */
let clearmlBaseUrl = '';

/** The tenant's entity as registered from its file in `gitops.repoUrl` (its branch annotation when given). */
function entity(
  name: string,
  gitops: { repoUrl: string; branch?: string },
  extraAnnotations: Record<string, string> = {},
): Entity {
  const t = tenantOf(name);
  const { host, owner, repo } = parseRepoPickerUrl(gitops.repoUrl)!;
  const location =
    host === 'git.local'
      ? localTenantLocation(clearmlBaseUrl, name)
      : `url:https://${host}/${owner}/${repo}/blob/${'a'.repeat(40)}/tenants/${name}/catalog-info.yaml`;
  return anchored(
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name,
        namespace: 'default',
        annotations: {
          ...tenantEntityAnnotations({
            cluster: 'ocp',
            namespace: t.namespace,
            release: t.release,
            edition: t.edition,
            tenant: name,
            ...(gitops.branch
              ? { gitops: { repoUrl: gitops.repoUrl, branch: gitops.branch } }
              : {}),
          }),
          ...extraAnnotations,
        },
      },
      spec: { type: 'clearml-tenant', owner: 'group:default/ml-platform' },
    },
    location,
  );
}

const GITHUB_REPO = `${GITHUB_HOST}?owner=platform&repo=gitops`;
const LOCAL_REPO = 'git.local?owner=platform&repo=gitops';

function entities(): Entity[] {
  return [
    ...['review', 'syncing', 'live', 'degraded', 'closed'].map(name =>
      entity(name, { repoUrl: GITHUB_REPO, branch: `clearml/${name}` }),
    ),
    entity('localrev', { repoUrl: LOCAL_REPO, branch: 'clearml/localrev' }),
    entity('bare', { repoUrl: GITHUB_REPO }),
    entity('ghdown', { repoUrl: GITHUB_REPO, branch: 'clearml/ghdown' }),
    // Annotations that try to steer the reader: another organisation's repository, a branch outside refs/heads.
    entity(
      'steered',
      { repoUrl: GITHUB_REPO, branch: 'clearml/steered' },
      { 'clear.ml/gitops-repo': `${GITHUB_HOST}?owner=victim&repo=secrets` },
    ),
    entity(
      'escape',
      { repoUrl: LOCAL_REPO },
      { 'clear.ml/gitops-branch': '../../HEAD' },
    ),
  ];
}

describe('tenant lifecycle on the health report', () => {
  let kube: KubernetesApiDouble;
  let github: GithubApiDouble;
  let octokit: Octokit;
  let baseUrl: string;
  let stop: () => Promise<void>;
  let workdir: string;
  let local: LocalGitTarget;
  const pulls: Record<string, number> = {};

  async function openPull(branch: string): Promise<number> {
    const repo = { owner: 'platform', repo: 'gitops' };
    const main = await octokit.rest.git.getRef({ ...repo, ref: 'heads/main' });
    const parent = main.data.object.sha;
    const base = await octokit.rest.git.getTree({ ...repo, tree_sha: parent });
    const tree = await octokit.rest.git.createTree({
      ...repo,
      base_tree: base.data.sha,
      tree: [
        {
          path: `tenants/${branch}/values.yaml`,
          mode: '100644',
          type: 'blob',
          content: 'clearml: {}\n',
        },
      ],
    });
    const commit = await octokit.rest.git.createCommit({
      ...repo,
      message: `ClearML tenant ${branch}`,
      tree: tree.data.sha,
      parents: [parent],
    });
    await octokit.rest.git.createRef({
      ...repo,
      ref: `refs/heads/${branch}`,
      sha: commit.data.sha,
    });
    const pull = await octokit.rest.pulls.create({
      owner: 'platform',
      repo: 'gitops',
      head: branch,
      base: 'main',
      title: `ClearML tenant ${branch}`,
    });
    return pull.data.number;
  }

  beforeAll(async () => {
    workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'clearml-lifecycle-'));
    local = {
      host: 'git.local',
      baseDir: workdir,
      defaultBranch: 'main',
      author: { name: 'Backstage', email: 'backstage@localhost' },
    };
    const gitdir = localRepositoryPath(local, 'platform', 'gitops');
    await ensureBareRepository(local, gitdir);
    const main = await localBranchHead(gitdir, 'main');
    await commitLocalFiles(gitdir, {
      branch: 'clearml/localrev',
      expectedHead: undefined,
      parent: main,
      replace: [],
      files: [],
      message: 'ClearML tenant localrev\n',
      author: local.author,
      where: 'git.local/platform/gitops',
    });

    github = await GithubApiDouble.start({
      tokens: { [GITHUB_TOKEN]: 'backstage-bot' },
    });
    github.createRepository({
      owner: 'platform',
      repo: 'gitops',
      files: { 'README.md': '# GitOps\n' },
    });
    octokit = new Octokit({
      baseUrl: github.apiBaseUrl,
      auth: GITHUB_TOKEN,
      throttle: { enabled: false },
    });
    for (const name of ['review', 'syncing', 'live', 'degraded', 'closed'])
      pulls[name] = await openPull(`clearml/${name}`);
    for (const name of ['syncing', 'live', 'degraded'])
      github.mergePullRequest('platform', 'gitops', pulls[name]);
    await octokit.rest.pulls.update({
      owner: 'platform',
      repo: 'gitops',
      pull_number: pulls.closed,
      state: 'closed',
    });

    kube = await KubernetesApiDouble.start({
      tokens: [
        {
          name: 'health-reader',
          token: READ_TOKEN,
          rules: [
            {
              verbs: ['get', 'list', 'watch'],
              apiGroups: ['*'],
              resources: ['*'],
            },
          ],
        },
      ],
      objects: [
        ...[
          'review',
          'syncing',
          'live',
          'degraded',
          'closed',
          'localrev',
          'bare',
          'ghdown',
        ].map(namespaceOf),
        ...healthyTenantObjects(tenantOf('live')),
        application('syncing', 'OutOfSync', 'Progressing'),
        application('live', 'Synced', 'Healthy'),
        application('degraded', 'Synced', 'Degraded', {
          operationState: {
            phase: 'Failed',
            message: 'one or more objects failed to apply',
          },
        }),
      ] as any,
    });

    const backend = await startTestBackend({
      features: [
        clearmlPlugin,
        mockServices.rootConfig.factory({
          data: {
            integrations: {
              github: [
                {
                  host: GITHUB_HOST,
                  apiBaseUrl: github.apiBaseUrl,
                  token: GITHUB_TOKEN,
                },
              ],
            },
            clearml: {
              clusters: [
                {
                  name: 'ocp',
                  url: kube.url,
                  serviceAccountToken: READ_TOKEN,
                  skipTLSVerify: true,
                },
              ],
              health: { cacheSeconds: 0, probeEndpoints: false },
              gitops: {
                repositories: [GITHUB_REPO],
                localTargets: [{ host: 'git.local', baseDir: workdir }],
              },
            },
          },
        }),
        // Entities are made per request: local tenants' locations name the backend's URL, known once it listens.
        catalogServiceMock.mock({
          getEntityByRef: async ref =>
            entities().find(e => `resource:default/${e.metadata.name}` === ref),
        }).factory,
      ],
    });
    const port = (backend.server.address() as AddressInfo).port;
    baseUrl = `http://127.0.0.1:${port}`;
    clearmlBaseUrl = `http://localhost:${port}/api/clearml`;
    stop = () => backend.stop();
  });

  afterAll(async () => {
    await stop?.();
    await kube?.close();
    await github?.close();
    fs.rmSync(workdir, { recursive: true, force: true });
  });

  async function health(name: string): Promise<TenantHealth> {
    const res = await fetch(
      `${baseUrl}/api/clearml/v1/health?entityRef=resource:default/${name}`,
      {
        headers: {
          authorization: mockCredentials.user.header('user:default/alice'),
        },
      },
    );
    expect(res.status).toBe(200);
    return (await res.json()) as TenantHealth;
  }

  const stageStates = (h: TenantHealth) =>
    h.lifecycle!.stages.map(s => `${s.id}:${s.state}`);

  it('shows a tenant whose pull request is in review as progressing, waiting for review, never down', async () => {
    const h = await health('review');
    expect(h.status).toBe('progressing');
    expect(h.statusReason).toContain('Waiting for review');
    expect(h.lifecycle!.current).toBe('pullRequest');
    expect(stageStates(h)).toEqual([
      'request:done',
      'pullRequest:active',
      'sync:pending',
      'rollout:pending',
    ]);
    const pr = h.lifecycle!.stages[1];
    expect(pr.summary).toBe(`Pull request #${pulls.review} waiting for review`);
    expect(pr.url).toBe(
      `https://github.test/platform/gitops/pull/${pulls.review}`,
    );
    expect(h.components.every(c => c.status === 'progressing')).toBe(true);
    expect(h.components[0].problems[0]).toMatchObject({
      severity: 'warning',
      reason: 'WorkloadNotFound',
    });
  });

  it('follows the merge into the GitOps sync: Argo CD still applying is progressing', async () => {
    const h = await health('syncing');
    expect(h.status).toBe('progressing');
    expect(h.lifecycle!.current).toBe('sync');
    expect(stageStates(h)).toEqual([
      'request:done',
      'pullRequest:done',
      'sync:active',
      'rollout:pending',
    ]);
    expect(h.lifecycle!.stages[2].summary).toBe(
      'clearml-syncing-server: OutOfSync, Progressing',
    );
  });

  it('ends at running: merged, synced and healthy, every component ready', async () => {
    const h = await health('live');
    expect(h.status).toBe('healthy');
    expect(stageStates(h)).toEqual([
      'request:done',
      'pullRequest:done',
      'sync:done',
      'rollout:done',
    ]);
    expect(h.lifecycle!.current).toBe('rollout');
  });

  it('says where it is stuck: a degraded Application, a pull request closed without merging', async () => {
    const degraded = await health('degraded');
    expect(degraded.lifecycle!.current).toBe('sync');
    expect(degraded.lifecycle!.stages[2]).toMatchObject({
      state: 'failed',
      summary: expect.stringContaining('one or more objects failed to apply'),
    });
    expect(degraded.status).toBe('down');
    const closed = await health('closed');
    expect(closed.lifecycle!.stages[1]).toMatchObject({
      state: 'failed',
      summary: `Pull request #${pulls.closed} closed without merging`,
    });
  });

  it('reads a local git target: a branch not merged is in review; merged into main, it is done', async () => {
    const before = await health('localrev');
    expect(before.lifecycle!.stages[1]).toMatchObject({
      state: 'active',
      summary:
        'Branch clearml/localrev waiting for review (not merged into main)',
    });
    expect(before.status).toBe('progressing');
    const gitdir = localRepositoryPath(local, 'platform', 'gitops');
    const branch = await localBranchHead(gitdir, 'clearml/localrev');
    // Merged by hand: main fast-forwards to the branch.
    await compareAndSwapBranch(
      gitdir,
      'main',
      await localBranchHead(gitdir, 'main'),
      branch!,
      'git.local/platform/gitops',
    );
    const after = await health('localrev');
    expect(after.lifecycle!.stages[1]).toMatchObject({
      state: 'done',
      summary: 'Branch clearml/localrev merged into main',
    });
  });

  it("reads the pull request only in the repository of the entity's file, whatever clear.ml/gitops-repo says", async () => {
    const before = github.requests.length;
    const steered = await health('steered');
    expect(steered.lifecycle!.stages[1]).toMatchObject({
      state: 'unknown',
      unavailable: 'No pull request from clearml/steered in platform/gitops',
    });
    const asked = github.requests.slice(before).map(r => r.path);
    expect(asked.length).toBeGreaterThan(0);
    expect(asked.join('\n')).not.toContain('victim');
  });

  it('refuses (422) a branch annotation that leaves refs/heads, reading nothing', async () => {
    const res = await fetch(
      `${baseUrl}/api/clearml/v1/health?entityRef=resource:default/escape`,
      {
        headers: {
          authorization: mockCredentials.user.header('user:default/alice'),
        },
      },
    );
    expect(res.status).toBe(422);
    expect(((await res.json()) as any).error.message).toContain(
      'clear.ml/gitops-branch must not contain ".." (got "../../HEAD"); it names a branch under refs/heads/',
    );
  });

  it('says what it could not read and why, stage by stage', async () => {
    const bare = await health('bare');
    expect(bare.lifecycle!.stages[1]).toMatchObject({
      state: 'unknown',
      unavailable: 'No pull request from clearml/bare in platform/gitops',
    });
    github.failOn({
      path: /\/pulls$/,
      status: 503,
      message: 'Service Unavailable',
    });
    const down = await health('ghdown');
    expect(down.lifecycle!.stages[1]).toMatchObject({
      state: 'unknown',
      unavailable: expect.stringContaining('HTTP 503'),
    });
    expect(JSON.stringify(down)).not.toContain(GITHUB_TOKEN);
  });
});
