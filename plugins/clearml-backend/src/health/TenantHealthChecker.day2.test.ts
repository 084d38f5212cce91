/**
 * The checker's day 2: a running tenant (Kubernetes API double, the documented reader's token) whose GitOps
 * repository is a local git target (a real bare repository) with a change pull request, and whose Argo CD
 * Application runs an older chart than `clearml.charts` configures.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { CacheManager } from '@backstage/backend-defaults/cache';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import {
  TENANT_OWNER_LABEL,
  TenantHealth,
} from '@clearml-openshift/plugin-clearml-common';
import {
  ClearmlCluster,
  LocalGitTarget,
  buildKubeConfig,
  commitLocalFiles,
  compareAndSwapBranch,
  ensureBareRepository,
  kubernetesClientFactory,
  localBranchHead,
  localRepositoryPath,
  readChartsSettings,
} from '@clearml-openshift/plugin-clearml-node';
import {
  ACME,
  KubernetesApiDouble,
  healthyTenantObjects,
} from '@internal/clearml-test-utils';
import { ClusterViews } from '../kubernetes/ClusterViews';
import { kubeConfigStream } from '../kubernetes/clusterStream';
import { HealthTarget } from '../target/healthTarget';
import { TenantHealthChecker } from './TenantHealthChecker';
import { documentedReaderRules } from '../__testUtils__/readerRules';

jest.setTimeout(60_000);

const TOKEN = 'checker-day2-token';
const ARGOCD = 'openshift-gitops';
const SHA = '0c4e1d2f3a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d';
const CHART_SOURCES = (version: string) => [
  {
    repoURL: 'https://clearml.github.io/clearml-helm-charts',
    chart: 'clearml',
    targetRevision: version,
  },
  { repoURL: 'https://git.local/platform/gitops', targetRevision: 'main' },
];

const TARGET: HealthTarget = {
  cluster: 'ocp',
  namespace: ACME.namespace,
  release: ACME.release,
  edition: ACME.edition,
  tenant: 'acme',
  gitops: {
    repoUrl: 'git.local?owner=platform&repo=gitops',
    branch: 'clearml/acme',
  },
};

let kube: KubernetesApiDouble;
let workdir: string;
let target: LocalGitTarget;
let gitdir: string;
const stops: Array<() => Promise<void>> = [];

async function branch(name: string): Promise<string> {
  const { commit } = await commitLocalFiles(gitdir, {
    branch: name,
    expectedHead: await localBranchHead(gitdir, name),
    parent: (await localBranchHead(gitdir, 'main'))!,
    replace: [],
    files: [],
    message: `${name}\n`,
    author: target.author,
    where: 'git.local/platform/gitops',
  });
  return commit;
}

beforeAll(async () => {
  kube = await KubernetesApiDouble.start({
    tokens: [{ name: 'reader', token: TOKEN, rules: documentedReaderRules() }],
    objects: [
      ...healthyTenantObjects(ACME),
      {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: {
          name: 'clearml-acme-server',
          namespace: ARGOCD,
          labels: { [TENANT_OWNER_LABEL]: 'acme' },
        },
        spec: { sources: CHART_SOURCES('7.14.1') },
        status: {
          sync: {
            status: 'Synced',
            comparedTo: { sources: CHART_SOURCES('7.14.1') },
            revisions: ['7.14.1', SHA],
          },
          health: { status: 'Healthy' },
        },
      },
    ] as any,
  });
  workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'clearml-checker-day2-'));
  target = {
    host: 'git.local',
    baseDir: workdir,
    defaultBranch: 'main',
    author: { name: 'Backstage', email: 'backstage@localhost' },
  } as LocalGitTarget;
  gitdir = localRepositoryPath(target, 'platform', 'gitops');
  await ensureBareRepository(target, gitdir);
  // The tenant's own pull request, merged.
  const created = await branch('clearml/acme');
  await compareAndSwapBranch(
    gitdir,
    'main',
    (await localBranchHead(gitdir, 'main'))!,
    created,
    'git.local/platform/gitops',
  );
});

afterEach(async () => {
  await Promise.all(stops.splice(0).map(stop => stop()));
});

afterAll(async () => {
  await kube?.close();
  fs.rmSync(workdir, { recursive: true, force: true });
});

function checker(view: boolean): TenantHealthChecker {
  const cluster = {
    name: 'ocp',
    url: kube.url,
    serviceAccountToken: TOKEN,
    skipTLSVerify: true,
  } as ClearmlCluster;
  const logger = mockServices.logger.mock();
  let views: ClusterViews | undefined;
  if (view) {
    views = new ClusterViews({
      stream: (c, timeoutMs) =>
        kubeConfigStream(buildKubeConfig(c, 'read'), timeoutMs),
      watchSeconds: 30,
      staleSeconds: 60,
      logger,
      argocdNamespace: ARGOCD,
    });
    stops.push(() => views!.stop());
  }
  return new TenantHealthChecker({
    clusters: [cluster],
    clientFactory: kubernetesClientFactory(),
    cache: CacheManager.fromConfig(new ConfigReader({})).forPlugin('clearml'),
    cacheSeconds: 0,
    logger,
    ...(views ? { views } : {}),
    lifecycle: {
      pullRequests: {
        integrations: ScmIntegrations.fromConfig(new ConfigReader({})),
        localTargets: [target],
        github: () => {
          throw new Error('no GitHub in this test');
        },
      },
      argocdNamespace: ARGOCD,
      // The defaults: clearml 7.14.4, clearml-agent 5.3.2.
      charts: readChartsSettings(new ConfigReader({})),
    },
  });
}

const day2 = (health: TenantHealth) =>
  health.lifecycle?.stages.filter(s => ['change', 'upgrade'].includes(s.id));

describe('TenantHealthChecker, day 2', () => {
  it('reports the chart versions Argo CD runs against the configured ones, from the view and from a list', async () => {
    const expected = [
      {
        chart: 'clearml',
        role: 'server',
        application: 'clearml-acme-server',
        deployed: '7.14.1',
        target: '7.14.1',
        configured: '7.14.4',
        drift: true,
      },
    ];
    expect((await checker(true).check('a', TARGET)).charts).toEqual(expected);
    expect((await checker(false).check('a', TARGET)).charts).toEqual(expected);
  });

  it('keeps a running tenant with a change in review healthy, the change stage current; no stage without a branch', async () => {
    const before = await checker(false).check('a', TARGET);
    expect(before).toMatchObject({
      status: 'healthy',
      lifecycle: { current: 'rollout' },
    });
    expect(day2(before)).toEqual([]);

    await branch('clearml-change/acme');
    const inReview = await checker(true).check('a', TARGET);
    expect(inReview.status).toBe('healthy');
    expect(inReview.statusReason).toBeUndefined();
    expect(inReview.lifecycle?.current).toBe('change');
    expect(day2(inReview)).toEqual([
      {
        id: 'change',
        state: 'active',
        summary:
          'Change pending review: Branch clearml-change/acme waiting for review (not merged into main)',
      },
    ]);
  });
});
