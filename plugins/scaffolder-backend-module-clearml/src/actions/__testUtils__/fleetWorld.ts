/**
 * A small fleet for the upgrade action's tests: tenants acme (with the agent), beta and vision, created with clearml
 * 7.14.1 / clearml-agent 5.3.0 (their directories rendered by renderTenantDirectory, as the creation template writes
 * them) on branch main of a local git target; their catalog entities, registered from those files; a cluster (the
 * Kubernetes double, 1.31 = OpenShift 4.18) and the charts' Helm repository (the double, serving the packaged charts).
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import yaml from 'js-yaml';
import { ConfigReader } from '@backstage/config';
import { TenantSettings } from '@clearml-openshift/plugin-clearml-common';
import {
  commitLocalFiles,
  ensureBareRepository,
  localBranchHead,
  LocalGitTarget,
  localRepositoryPath,
  renderTenantDirectory,
} from '@clearml-openshift/plugin-clearml-node';
import {
  HelmRepositoryDouble,
  KubernetesApiDouble,
  KUBERNETES_READ_ONLY_RULES,
  referencePath,
} from '@internal/clearml-test-utils';

export const READ_TOKEN = 'sha256~read-upgrade-5e1a';
export const CLEARML_BASE = 'http://backstage.test/api/clearml';
export const TENANTS = ['acme', 'beta', 'vision'];
const AUTHOR = { name: 'Backstage', email: 'backstage@localhost' };

export function settingsOf(tenant: string): TenantSettings {
  return {
    tenant,
    owner: 'group:default/ml-team',
    cluster: 'ocp-test',
    namespace: `clearml-${tenant}`,
    domain: `clearml-${tenant}.apps.test.example.com`,
    edition: 'oss',
    releaseName: 'clearml',
    securityProfile: 'anyuid',
    exposure: 'route',
    agent: { enabled: tenant === 'acme', queue: 'default' },
    appGateway: { enabled: false },
    tier: 'small',
    repoUrl: 'git.local?owner=platform&repo=gitops',
  };
}

export interface FleetWorld {
  kubernetes: KubernetesApiDouble;
  helm: HelmRepositoryDouble;
  gitdir: string;
  main: string;
  entities: Record<string, any>[];
  /** The backend config with the chart versions given. */
  config(
    charts: { clearml: string; agent: string },
    extra?: Record<string, any>,
  ): ConfigReader;
  /** Commits main's files with `files` (repository path → text) changed on `branch`. */
  commitBranch(branch: string, files: Record<string, string>): Promise<string>;
  close(): Promise<void>;
}

export async function startFleetWorld(): Promise<FleetWorld> {
  const kubernetes = await KubernetesApiDouble.start({
    kubernetesVersion: '1.31.4',
    tokens: [
      { name: 'reader', token: READ_TOKEN, rules: KUBERNETES_READ_ONLY_RULES },
    ],
  });
  const helm = await HelmRepositoryDouble.start({
    charts: [
      'clearml-7.14.1.tgz',
      'clearml-7.14.4.tgz',
      'clearml-agent-5.3.0.tgz',
      'clearml-agent-5.3.2.tgz',
    ].map(f => referencePath('clearml-charts', 'packaged', f)),
    pathPrefix: '/clearml-helm-charts',
  });
  const workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'clearml-upgrade-'));
  const target = {
    host: 'git.local',
    baseDir: workdir,
    defaultBranch: 'main',
    repositories: ['platform/gitops'],
    author: AUTHOR,
  } as LocalGitTarget;
  const config = (
    charts: { clearml: string; agent: string },
    extra: Record<string, any> = {},
  ) =>
    new ConfigReader({
      clearml: {
        clusters: [
          {
            name: 'ocp-test',
            url: kubernetes.url,
            skipTLSVerify: true,
            serviceAccountToken: READ_TOKEN,
          },
        ],
        gitops: {
          localTargets: [
            {
              host: 'git.local',
              baseDir: workdir,
              repositories: ['platform/gitops'],
            },
          ],
        },
        charts: {
          clearml: { repository: helm.url, version: charts.clearml },
          'clearml-agent': { repository: helm.url, version: charts.agent },
        },
        fleet: { platformGroup: 'group:default/platform' },
        ...extra,
      },
    });
  const gitdir = localRepositoryPath(target, 'platform', 'gitops');
  await ensureBareRepository(target, gitdir);
  const initial = (await localBranchHead(gitdir, 'main'))!;
  const files = new Map<string, string>();
  const old = config({ clearml: '7.14.1', agent: '5.3.0' });
  for (const tenant of TENANTS) {
    for (const [p, content] of renderTenantDirectory(settingsOf(tenant), {
      config: old,
    }).files)
      files.set(p, content);
  }
  const commit = async (
    branch: string,
    parent: string,
    changed: Map<string, string>,
    replace: string[],
  ) =>
    (
      await commitLocalFiles(gitdir, {
        branch,
        expectedHead: await localBranchHead(gitdir, branch),
        parent,
        replace,
        files: [...changed].map(([p, content]) => ({
          path: p,
          content: Buffer.from(content),
          mode: '100644' as const,
        })),
        message: 'seed\n',
        author: AUTHOR,
        where: 'git.local/platform/gitops',
      })
    ).commit;
  const main = await commit('main', initial, files, ['tenants']);
  const entities = TENANTS.map(tenant => {
    const entity = yaml.load(
      files.get(`tenants/${tenant}/catalog-info.yaml`)!,
    ) as any;
    entity.metadata.namespace = 'default';
    entity.metadata.annotations['backstage.io/managed-by-location'] =
      `url:${CLEARML_BASE}/v1/local-git/git.local/platform/gitops/${main}/tenants/${tenant}/catalog-info.yaml`;
    return entity;
  });
  return {
    kubernetes,
    helm,
    gitdir,
    main,
    entities,
    config,
    // Main's files with these changed, on `branch` (main included).
    commitBranch: (branch, changed) =>
      commit(branch, main, new Map(Object.entries(changed)), []),
    async close() {
      await Promise.all([kubernetes.close(), helm.close()]);
      fs.rmSync(workdir, { recursive: true, force: true });
    },
  };
}
