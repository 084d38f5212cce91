/**
 * What a change or upgrade means for a tenant's status: in review, a running tenant stays running (healthy) with
 * its day-2 stage current; merged, while Argo CD applies it, workloads it adds are expected to be missing.
 */
import {
  ComponentHealth,
  LifecycleStage,
} from '@clearml-openshift/plugin-clearml-common';
import { changeStage, upgradeStage } from './day2';
import { tenantLifecycle } from './lifecycle';

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
  'clearml-acme-agent: Synced, Progressing',
);
const SERVER: ComponentHealth = {
  id: 'apiserver',
  title: 'API server',
  status: 'healthy',
  problems: [],
} as any;
const AGENT_ABSENT: ComponentHealth = {
  id: 'agent',
  title: 'Agent',
  status: 'down',
  problems: [
    {
      reason: 'WorkloadNotFound',
      severity: 'error',
      message: 'Deployment clearml-agent is not deployed',
    },
  ],
} as any;

describe('a running tenant with a change', () => {
  it('in review: still healthy, no reason, the change stage current', () => {
    const change = changeStage(
      stage('pullRequest', 'active', 'Pull request #5 waiting for review'),
      SYNCED,
    );
    const result = tenantLifecycle(MERGED, SYNCED, [SERVER], { change });
    expect(result.status).toBe('healthy');
    expect(result.statusReason).toBeUndefined();
    expect(result.lifecycle.current).toBe('change');
    expect(result.lifecycle.stages.map(s => [s.id, s.state])).toEqual([
      ['request', 'done'],
      ['pullRequest', 'done'],
      ['sync', 'done'],
      ['rollout', 'done'],
      ['change', 'active'],
    ]);
  });

  it('in review and down: the rollout says so, the change does not hide it', () => {
    const change = changeStage(
      stage('pullRequest', 'active', 'Pull request #5 waiting for review'),
      SYNCED,
    );
    const result = tenantLifecycle(MERGED, SYNCED, [AGENT_ABSENT], { change });
    expect(result.status).toBe('down');
    expect(result.lifecycle.current).toBe('rollout');
  });

  it('merged, Argo CD applying it: the agent it turns on is expected to be missing, progressing with the reason', () => {
    const change = changeStage(
      stage('pullRequest', 'done', 'Pull request #5 merged'),
      SYNCING,
    );
    const result = tenantLifecycle(MERGED, SYNCING, [SERVER, AGENT_ABSENT], {
      change,
    });
    expect(result.status).toBe('progressing');
    expect(result.statusReason).toBe(
      'Applying the change: Pull request #5 merged; clearml-acme-agent: Synced, Progressing',
    );
    expect(result.lifecycle.current).toBe('change');
    expect(result.components[1]).toMatchObject({
      status: 'progressing',
      problems: [
        {
          severity: 'warning',
          message:
            'Deployment clearml-agent is not deployed yet (Argo CD is applying the change)',
        },
      ],
    });
  });

  it('merged and synced: changed, running, the rollout current again', () => {
    const change = changeStage(
      stage('pullRequest', 'done', 'Pull request #5 merged'),
      SYNCED,
    );
    const result = tenantLifecycle(MERGED, SYNCED, [SERVER], { change });
    expect(result.status).toBe('healthy');
    expect(result.lifecycle.current).toBe('rollout');
    expect(result.lifecycle.stages[4]).toEqual(
      stage('change', 'done', 'Changed: Pull request #5 merged'),
    );
  });
});

describe('a running tenant with an upgrade', () => {
  it('in review: healthy; upgrading: current; a missing workload is expected while it applies', () => {
    const pending = upgradeStage(
      stage('pullRequest', 'active', 'Pull request #9 waiting for review'),
      SYNCED,
      [],
    );
    expect(
      tenantLifecycle(MERGED, SYNCED, [SERVER], { upgrade: pending }),
    ).toMatchObject({ status: 'healthy', lifecycle: { current: 'upgrade' } });
    const upgrading = upgradeStage(
      stage('pullRequest', 'done', 'Pull request #9 merged'),
      SYNCING,
      [
        {
          chart: 'clearml-agent',
          role: 'agent',
          application: 'clearml-acme-agent',
          deployed: '5.3.0',
          target: '5.3.2',
          configured: '5.3.2',
          drift: true,
        },
      ],
    );
    const result = tenantLifecycle(MERGED, SYNCING, [SERVER, AGENT_ABSENT], {
      upgrade: upgrading,
    });
    expect(result).toMatchObject({
      status: 'progressing',
      statusReason:
        'Upgrading: Pull request #9 merged; clearml-agent 5.3.0 → 5.3.2',
      lifecycle: { current: 'upgrade' },
    });
    expect(result.components[1].problems[0].message).toContain(
      '(Argo CD is applying the upgrade)',
    );
  });
});

describe('a merged change Argo CD has not compared yet', () => {
  const merged: LifecycleStage = {
    ...stage('pullRequest', 'done', 'Pull request #5 merged'),
    since: '2026-12-05T10:00:00Z',
  };
  const app = (reconciledAt?: string) => ({
    metadata: { name: 'clearml-acme-server' },
    status: {
      ...(reconciledAt ? { reconciledAt } : {}),
      sync: { status: 'Synced' },
      health: { status: 'Healthy' },
    },
  });

  it('is applying while an Application was last reconciled before the merge, though it reads Synced', () => {
    const change = changeStage(merged, SYNCED, [app('2026-12-05T09:58:00Z')]);
    expect(change).toEqual({
      stage: {
        id: 'change',
        state: 'active',
        summary:
          'Applying the change: Pull request #5 merged; Argo CD has not compared clearml-acme-server with the merge yet',
      },
      applying: true,
    });
    const result = tenantLifecycle(MERGED, SYNCED, [SERVER, AGENT_ABSENT], {
      change,
    });
    expect(result.lifecycle.current).toBe('change');
    expect(result.components.find(c => c.id === 'agent')?.status).toBe(
      'progressing',
    );
  });

  it('is changed once every Application was reconciled after the merge', () => {
    expect(
      changeStage(merged, SYNCED, [app('2026-12-05T10:01:30Z')]).stage,
    ).toMatchObject({
      state: 'done',
      summary: 'Changed: Pull request #5 merged',
    });
  });

  it('claims nothing when Argo CD reports no reconcile time, nor without a merge time', () => {
    expect(changeStage(merged, SYNCED, [app()]).stage.state).toBe('done');
    expect(
      changeStage(stage('pullRequest', 'done', 'Branch merged'), SYNCED, [
        app('2026-12-05T09:58:00Z'),
      ]).stage.state,
    ).toBe('done');
  });
});
