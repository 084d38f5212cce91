/**
 * The chart versions a tenant runs, read from Applications shaped as Argo CD writes them (argo-cd
 * pkg/apis/application/v1alpha1 SyncStatus, RevisionHistory: one revision per source, the chart version for a
 * Helm source, a commit SHA for a git source).
 */
import { chartVersionText } from '@clearml-openshift/plugin-clearml-common';
import { tenantChartVersions } from './chartVersions';
import { ArgoApplication } from './sync';
import { trimApplication } from '../kubernetes/objects';

const GITOPS = 'https://github.com/platform/gitops.git';
const SHA = '5f0c2a6d7e3b9a1c4d8e2f6a0b7c3d9e1f5a2b4c';
const CONFIGURED: Record<string, string> = {
  clearml: '7.14.4',
  'clearml-agent': '5.3.2',
};

function sources(chart: string, version: string) {
  return [
    {
      repoURL: 'https://clearml.github.io/clearml-helm-charts',
      chart,
      targetRevision: version,
      helm: { releaseName: 'clearml', valueFiles: ['$values/x.yaml'] },
    },
    { repoURL: GITOPS, targetRevision: 'main', ref: 'values' },
  ];
}

/** An Application whose spec names `target`, Argo CD's last sync deployed `deployed`, and whose sync status is `sync`. */
function application(
  name: string,
  chart: string,
  target: string,
  deployed: string | undefined,
  sync: 'Synced' | 'OutOfSync',
): ArgoApplication {
  // Argo CD compares the spec's sources whatever the outcome: out of sync, `revisions` already name the new version.
  return {
    metadata: { name },
    spec: { sources: sources(chart, target) },
    status: {
      sync: {
        status: sync,
        comparedTo: { sources: sources(chart, target) },
        revisions: [target, SHA],
      },
      ...(deployed
        ? {
            history: [
              { sources: sources(chart, '7.0.0'), revisions: ['7.0.0', SHA] },
              { sources: sources(chart, deployed), revisions: [deployed, SHA] },
            ],
          }
        : {}),
    },
  } as ArgoApplication;
}

const configured = (chart: string) => CONFIGURED[chart];

describe('tenantChartVersions', () => {
  it('reads a synced Application at the configured version as no drift', () => {
    const [server] = tenantChartVersions(
      [application('acme-server', 'clearml', '7.14.4', '7.14.4', 'Synced')],
      configured,
    );
    expect(server).toEqual({
      chart: 'clearml',
      role: 'server',
      application: 'acme-server',
      deployed: '7.14.4',
      target: '7.14.4',
      configured: '7.14.4',
      drift: false,
    });
  });

  it('reads what runs from the last deployment while the new version waits for its sync', () => {
    const [agent] = tenantChartVersions(
      [
        application(
          'acme-agent',
          'clearml-agent',
          '5.3.2',
          '5.3.0',
          'OutOfSync',
        ),
      ],
      configured,
    );
    expect(agent).toMatchObject({
      role: 'agent',
      deployed: '5.3.0',
      target: '5.3.2',
      drift: true,
    });
    expect(chartVersionText(agent)).toBe(
      'clearml-agent 5.3.0 (configured 5.3.2)',
    );
  });

  it('tells drift of a tenant synced at an older version, and nothing of one never synced', () => {
    const versions = tenantChartVersions(
      [
        application('acme-server', 'clearml', '7.14.1', '7.14.1', 'Synced'),
        application('new-server', 'clearml', '7.14.4', undefined, 'OutOfSync'),
      ],
      configured,
    );
    expect(versions.map(chartVersionText)).toEqual([
      'clearml 7.14.1 (configured 7.14.4)',
      'clearml 7.14.4 (not synced yet)',
    ]);
    expect(versions[1]).not.toHaveProperty('deployed');
  });

  it('reads what runs from the last sync operation when Argo CD keeps no history (revisionHistoryLimit 0)', () => {
    const app = application(
      'acme-server',
      'clearml',
      '7.14.4',
      undefined,
      'OutOfSync',
    );
    const syncResult = {
      sources: sources('clearml', '7.14.1'),
      revisions: ['7.14.1', SHA],
    };
    const read = (phase: string) =>
      tenantChartVersions(
        [
          {
            ...app,
            status: { ...app.status, operationState: { phase, syncResult } },
          },
        ],
        configured,
      )[0].deployed;
    expect(read('Succeeded')).toBe('7.14.1');
    // A sync still running (or failed) says nothing of what runs.
    expect(read('Running')).toBeUndefined();
    const trimmed = trimApplication({
      ...app,
      metadata: { name: 'acme-server', namespace: 'openshift-gitops' },
      status: {
        ...app.status,
        operationState: { phase: 'Succeeded', syncResult },
      },
    });
    expect(
      tenantChartVersions([trimmed as ArgoApplication], configured)[0].deployed,
    ).toBe('7.14.1');
  });

  it('reads a single-source Application, skips sources that are no tenant chart, and claims no drift unconfigured', () => {
    const single: ArgoApplication = {
      metadata: { name: 'ent-server' },
      spec: {
        source: { chart: 'clearml-enterprise', targetRevision: '1.2.3' },
      },
      status: { sync: { status: 'Synced', revision: '1.2.3' } },
    };
    const other: ArgoApplication = {
      metadata: { name: 'other' },
      spec: { sources: [{ chart: 'redis', targetRevision: '1.0.0' }] },
      status: { sync: { status: 'Synced', revisions: ['1.0.0'] } },
    };
    expect(tenantChartVersions([single, other], configured)).toEqual([
      {
        chart: 'clearml-enterprise',
        role: 'server',
        application: 'ent-server',
        deployed: '1.2.3',
        target: '1.2.3',
        drift: false,
      },
    ]);
  });

  it('reads the same from the shared view’s trimmed Application', () => {
    const app = application(
      'acme-agent',
      'clearml-agent',
      '5.3.2',
      '5.3.0',
      'OutOfSync',
    );
    const trimmed = trimApplication({
      ...app,
      metadata: { ...app.metadata, namespace: 'openshift-gitops' },
    });
    expect(JSON.stringify(trimmed)).not.toContain('helm-charts');
    expect(
      tenantChartVersions([trimmed as ArgoApplication], configured),
    ).toEqual(tenantChartVersions([app], configured));
  });
});
