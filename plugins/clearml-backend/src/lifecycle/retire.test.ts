/**
 * The retire stage from a local git target (a real bare repository) and the Applications Argo CD still holds;
 * the lifecycle of a tenant being retired.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ScmIntegrations } from '@backstage/integration';
import { ConfigReader } from '@backstage/config';
import { ComponentHealth } from '@clearml-openshift/plugin-clearml-common';
import {
  commitLocalFiles,
  compareAndSwapBranch,
  ensureBareRepository,
  localBranchHead,
  LocalGitTarget,
  localRepositoryPath,
} from '@clearml-openshift/plugin-clearml-node';
import { PullRequestReader } from './pullRequest';
import { repositoryUnreadable } from './day2';
import { readRetireStage } from './retire';
import { tenantLifecycle } from './lifecycle';

let workdir: string;
let target: LocalGitTarget;
let gitdir: string;
let reader: PullRequestReader;
const SOURCE = {
  repoUrl: 'git.local?owner=platform&repo=gitops',
  branch: 'clearml/acme',
};
const SERVER_APP = { metadata: { name: 'clearml-acme-server' } };

async function branch(name: string, from: string): Promise<string> {
  // The tree of `from` again, one commit later, on `name` wherever it was.
  const { commit } = await commitLocalFiles(gitdir, {
    branch: name,
    expectedHead: await localBranchHead(gitdir, name),
    parent: from,
    replace: [],
    files: [],
    message: `${name}\n`,
    author: target.author,
    where: 'git.local/platform/gitops',
  });
  return commit;
}

beforeEach(async () => {
  workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'clearml-retire-stage-'));
  target = {
    host: 'git.local',
    baseDir: workdir,
    defaultBranch: 'main',
    author: { name: 'Backstage', email: 'backstage@localhost' },
  } as LocalGitTarget;
  gitdir = localRepositoryPath(target, 'platform', 'gitops');
  await ensureBareRepository(target, gitdir);
  reader = {
    integrations: ScmIntegrations.fromConfig(new ConfigReader({})),
    localTargets: [target],
    github: () => {
      throw new Error('no GitHub in this test');
    },
  } as unknown as PullRequestReader;
});
afterEach(() => fs.rmSync(workdir, { recursive: true, force: true }));

describe('the retire stage', () => {
  it('is absent while no retire branch exists', async () => {
    expect(
      await readRetireStage(SOURCE, 'acme', reader, async () => ({
        items: [SERVER_APP],
      })),
    ).toBeUndefined();
  });

  it('reads retiring while the branch waits, then while Argo CD deletes, then retired', async () => {
    const main = (await localBranchHead(gitdir, 'main'))!;
    const head = await branch('clearml-retire/acme', main);
    const apps = { items: [SERVER_APP] as any[] };
    const read = () =>
      readRetireStage(SOURCE, 'acme', reader, async () => apps);
    expect(await read()).toEqual({
      id: 'retire',
      state: 'active',
      summary:
        'Retiring: Branch clearml-retire/acme waiting for review (not merged into main)',
    });
    // Merged by hand: main fast-forwards to the branch.
    await compareAndSwapBranch(
      gitdir,
      'main',
      main,
      head,
      'git.local/platform/gitops',
    );
    expect(await read()).toEqual({
      id: 'retire',
      state: 'active',
      summary:
        'Retiring: Branch clearml-retire/acme merged into main; Argo CD is deleting clearml-acme-server',
    });
    apps.items = [];
    expect(await read()).toEqual({
      id: 'retire',
      state: 'done',
      summary:
        'Retired: Branch clearml-retire/acme merged into main; no Argo CD Application left',
    });
    expect(
      await readRetireStage(SOURCE, 'acme', reader, async () => ({
        unavailable:
          'Argo CD Applications could not be read in openshift-gitops: 403',
      })),
    ).toMatchObject({
      state: 'unknown',
      unavailable: expect.stringContaining('403'),
    });
  });

  it('is not asked when the repository could not be read for the tenant’s own pull request', async () => {
    const unreadable = {
      id: 'pullRequest' as const,
      state: 'unknown' as const,
      summary: 'Pull request unknown',
      unavailable:
        'GitHub github.com answered HTTP 503 for platform/gitops: unavailable',
    };
    expect(repositoryUnreadable(unreadable)).toBe(true);
    expect(
      repositoryUnreadable({
        ...unreadable,
        unavailable: 'No pull request from clearml/acme in platform/gitops',
      }),
    ).toBe(false);
    const main = (await localBranchHead(gitdir, 'main'))!;
    await branch('clearml-retire/acme', main);
    expect(
      await readRetireStage(
        SOURCE,
        'acme',
        reader,
        async () => ({ items: [] }),
        unreadable,
      ),
    ).toBeUndefined();
  });
});

describe('the lifecycle of a tenant being retired', () => {
  const running: ComponentHealth[] = [
    {
      id: 'apiserver',
      title: 'API server',
      status: 'healthy',
      problems: [],
    } as any,
  ];
  const gone: ComponentHealth[] = [
    {
      id: 'apiserver',
      title: 'API server',
      status: 'down',
      problems: [
        {
          reason: 'WorkloadNotFound',
          severity: 'error',
          message: 'Deployment clearml-apiserver is not deployed',
        },
      ],
    } as any,
  ];
  const merged = {
    id: 'pullRequest' as const,
    state: 'done' as const,
    summary: 'Pull request #2 merged',
  };
  const synced = {
    id: 'sync' as const,
    state: 'done' as const,
    summary: 'Synced, Healthy',
  };

  it('is at the retire stage, progressing with its summary as the reason', () => {
    const retire = {
      id: 'retire' as const,
      state: 'active' as const,
      summary: 'Retiring: Pull request #7 waiting for review',
    };
    const result = tenantLifecycle(merged, synced, running, { retire });
    expect(result.lifecycle.current).toBe('retire');
    expect(result.lifecycle.stages.map(s => s.id)).toEqual([
      'request',
      'pullRequest',
      'sync',
      'rollout',
      'retire',
    ]);
    expect(result.status).toBe('progressing');
    expect(result.statusReason).toBe(
      'Retiring: Pull request #7 waiting for review',
    );
  });

  it('once retired, says what Argo CD did, and the deleted workloads are expected', () => {
    const retire = {
      id: 'retire' as const,
      state: 'done' as const,
      summary: 'Retired: Pull request #7 merged; no Argo CD Application left',
    };
    const result = tenantLifecycle(merged, synced, gone, { retire });
    expect(result.lifecycle.stages.map(s => [s.id, s.state])).toEqual([
      ['request', 'done'],
      ['pullRequest', 'done'],
      ['sync', 'done'],
      ['rollout', 'done'],
      ['retire', 'done'],
    ]);
    expect(result.components[0]).toMatchObject({
      status: 'progressing',
      problems: [
        {
          severity: 'warning',
          message:
            'Deployment clearml-apiserver is not deployed (the tenant is being retired)',
        },
      ],
    });
    expect(result.status).toBe('progressing');
  });
});
