/**
 * The change and upgrade stages: their pull requests read from a local git target (a real bare repository), then
 * Argo CD's sync and chart versions; what they mean for a running tenant's status.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ScmIntegrations } from '@backstage/integration';
import { ConfigReader } from '@backstage/config';
import {
  LifecycleStage,
  TenantChartVersion,
} from '@clearml-openshift/plugin-clearml-common';
import {
  commitLocalFiles,
  compareAndSwapBranch,
  ensureBareRepository,
  localBranchHead,
  LocalGitTarget,
  localRepositoryPath,
} from '@clearml-openshift/plugin-clearml-node';
import { PullRequestReader } from './pullRequest';
import { changeStage, readDay2PullRequest, upgradeStage } from './day2';
import { readDay2Stages } from './day2Stages';

let workdir: string;
let target: LocalGitTarget;
let gitdir: string;
let reader: PullRequestReader;
const SOURCE = {
  repoUrl: 'git.local?owner=platform&repo=gitops',
  branch: 'clearml/acme',
};

async function branch(name: string, from: string): Promise<string> {
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

const merge = async (head: string) =>
  compareAndSwapBranch(
    gitdir,
    'main',
    (await localBranchHead(gitdir, 'main'))!,
    head,
    'git.local/platform/gitops',
  );

const stage = (
  id: LifecycleStage['id'],
  state: LifecycleStage['state'],
  summary: string,
): LifecycleStage => ({ id, state, summary });
const MERGED = stage('pullRequest', 'done', 'Pull request #2 merged');
const SYNCED = stage('sync', 'done', 'clearml-acme-server: Synced, Healthy');
const SYNCING = stage(
  'sync',
  'active',
  'clearml-acme-agent: OutOfSync, Progressing',
);

beforeEach(async () => {
  workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'clearml-day2-stage-'));
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

describe('the change stage', () => {
  it('reads pending review, then applying while Argo CD syncs, then changed', async () => {
    expect(
      await readDay2PullRequest('change', SOURCE, 'acme', reader, MERGED),
    ).toBeUndefined();
    const head = await branch(
      'clearml-change/acme',
      (await localBranchHead(gitdir, 'main'))!,
    );
    const open = (await readDay2PullRequest(
      'change',
      SOURCE,
      'acme',
      reader,
      MERGED,
    ))!;
    expect(changeStage(open, SYNCED)).toEqual({
      stage: stage(
        'change',
        'active',
        'Change pending review: Branch clearml-change/acme waiting for review (not merged into main)',
      ),
      applying: false,
    });
    await merge(head);
    const merged = (await readDay2PullRequest(
      'change',
      SOURCE,
      'acme',
      reader,
      MERGED,
    ))!;
    expect(changeStage(merged, SYNCING)).toEqual({
      stage: stage(
        'change',
        'active',
        'Applying the change: Branch clearml-change/acme merged into main; clearml-acme-agent: OutOfSync, Progressing',
      ),
      applying: true,
    });
    expect(changeStage(merged, SYNCED).stage).toEqual(
      stage(
        'change',
        'done',
        'Changed: Branch clearml-change/acme merged into main',
      ),
    );
    expect(
      changeStage(merged, stage('sync', 'failed', 'acme-agent: Degraded'))
        .stage,
    ).toMatchObject({
      state: 'failed',
      summary: expect.stringContaining('did not apply'),
    });
  });

  it('is not read for a tenant still in review, nor in a repository that could not be read', async () => {
    await branch(
      'clearml-change/acme',
      (await localBranchHead(gitdir, 'main'))!,
    );
    await branch(
      'clearml-upgrade/acme',
      (await localBranchHead(gitdir, 'main'))!,
    );
    const read = (pullRequest: LifecycleStage) =>
      readDay2Stages({
        source: SOURCE,
        tenant: 'acme',
        reader,
        pullRequest,
        sync: SYNCED,
        applications: { items: [] },
        charts: [],
      });
    expect(
      await read(stage('pullRequest', 'active', 'Pull request #2 waiting')),
    ).toEqual({});
    expect(
      await read({
        ...stage('pullRequest', 'unknown', 'Pull request unknown'),
        unavailable: 'GitHub github.com answered HTTP 503',
      }),
    ).toEqual({});
    expect(Object.keys(await read(MERGED)).sort()).toEqual([
      'change',
      'upgrade',
    ]);
  });
});

describe('the upgrade stage', () => {
  const chart = (
    deployed: string,
    named: string,
    configured = '7.14.4',
  ): TenantChartVersion => ({
    chart: 'clearml',
    role: 'server',
    application: 'clearml-acme-server',
    deployed,
    target: named,
    configured,
    drift: deployed !== configured,
  });
  const merged = stage('pullRequest', 'done', 'Pull request #9 merged');

  it('reads pending review, upgrading until Argo CD runs the configured versions, then upgraded', () => {
    expect(
      upgradeStage(
        stage('pullRequest', 'active', 'Pull request #9 waiting for review'),
        SYNCED,
        [chart('7.14.1', '7.14.1')],
      ).stage,
    ).toEqual(
      stage(
        'upgrade',
        'active',
        'Upgrade pending review: Pull request #9 waiting for review',
      ),
    );
    // Merged, Argo CD has not picked up the new Applications yet: still the old chart.
    expect(upgradeStage(merged, SYNCED, [chart('7.14.1', '7.14.1')])).toEqual({
      stage: stage(
        'upgrade',
        'active',
        'Upgrading: Pull request #9 merged; clearml 7.14.1 → 7.14.4',
      ),
      applying: true,
    });
    // The new version named, not synced yet.
    expect(
      upgradeStage(merged, SYNCING, [chart('7.14.1', '7.14.4')]).stage.state,
    ).toBe('active');
    expect(upgradeStage(merged, SYNCED, [chart('7.14.4', '7.14.4')])).toEqual({
      stage: stage(
        'upgrade',
        'done',
        'Upgraded: Pull request #9 merged; clearml 7.14.4',
      ),
      applying: false,
    });
  });

  it('says when the charts cannot be read or the sync failed', () => {
    expect(
      upgradeStage(merged, SYNCED, {
        unavailable: 'Argo CD Applications could not be read: 403',
      }).stage,
    ).toMatchObject({
      state: 'unknown',
      unavailable: expect.stringContaining('403'),
    });
    expect(
      upgradeStage(merged, stage('sync', 'failed', 'Degraded'), [
        chart('7.14.1', '7.14.4'),
      ]).stage,
    ).toMatchObject({
      state: 'failed',
      summary: expect.stringContaining('did not apply'),
    });
  });
});
