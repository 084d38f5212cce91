/**
 * One tenant's upgrade, decided with reads only: its merged settings and files (default branch), its open pull
 * requests, its files re-rendered with the configured chart versions, its cluster's Kubernetes version against each
 * new chart's kubeVersion, and the pull request it would open. A plan is an upgrade, a skip (nothing to do now: up to
 * date, or its upgrade pull request is open) or a refusal (with the reason); nothing is written here.
 */
import { InputError, NotFoundError } from '@backstage/errors';
import { tenantUpgradeBranchName } from '@clearml-openshift/plugin-clearml-common';
import {
  ChartsSettings,
  checkChartsOnCluster,
  ClearmlCluster,
  ClusterChartCheck,
  GITOPS_FILE_NAMES,
  GitopsTarget,
  HelmRepositoryClient,
  KubernetesClientFactory,
  readTenantSettings,
  renderTenantDirectory,
  renderUpgradeDescription,
  requireCluster,
  RepositoryFile,
  upgradePullRequestTitle,
} from '@clearml-openshift/plugin-clearml-node';
import type { Config } from '@backstage/config';
import { openTenantChanges } from './openTenantChanges';
import { TenantOfEntity } from './tenantOfEntity';
import {
  chartArchiveCache,
  describeMove,
  filesDiff,
  pinnedReleases,
  releaseMoves,
} from './upgradeReleases';

/** What every tenant's plan of one run shares. */
export interface UpgradeRun {
  config: Config;
  /** The configured charts (clearml.charts): the versions tenants move to. */
  charts: ChartsSettings;
  clusters: readonly ClearmlCluster[];
  kubeClientFactory: KubernetesClientFactory;
  targetOf(tenant: TenantOfEntity): GitopsTarget;
  archive: ReturnType<typeof chartArchiveCache>;
  requestedBy?: string;
}

export type UpgradePlan =
  | {
      kind: 'upgrade';
      tenant: TenantOfEntity;
      target: GitopsTarget;
      branchName: string;
      /** `tenants/<tenant>`: the directory the pull request replaces. */
      directory: string;
      files: RepositoryFile[];
      title: string;
      description: string;
      moves: Array<{ chart: string; from: string; to: string }>;
    }
  | { kind: 'skip' | 'refuse'; tenant: TenantOfEntity; reason: string };

export function upgradeRun(
  options: Omit<UpgradeRun, 'archive'> & { helm: HelmRepositoryClient },
): UpgradeRun {
  const { helm, ...rest } = options;
  return { ...rest, archive: chartArchiveCache(helm) };
}

/** Refusals of the rules the tenant's state breaks become plans; anything else (a failing call) is thrown. */
export async function planTenantUpgrade(
  run: UpgradeRun,
  tenant: TenantOfEntity,
): Promise<UpgradePlan> {
  try {
    return await plan(run, tenant);
  } catch (error) {
    if (error instanceof InputError || error instanceof NotFoundError)
      return { kind: 'refuse', tenant, reason: error.message };
    throw error;
  }
}

async function plan(
  run: UpgradeRun,
  tenant: TenantOfEntity,
): Promise<UpgradePlan> {
  const target = run.targetOf(tenant);
  const where = `${target.host}/${target.owner}/${target.repo}`;
  target.preflight();
  if (!target.readRepository)
    return {
      kind: 'refuse',
      tenant,
      reason: `its GitOps repository ${where} is a ${target.kind} target, which the upgrade cannot read`,
    };
  const repository = await target.readRepository();

  const open = await openTenantChanges(repository, tenant);
  const ownOpen = open.find(o => o.kind === 'upgrade');
  if (ownOpen)
    return {
      kind: 'skip',
      tenant,
      reason: `its upgrade pull request is open (${ownOpen.open})`,
    };
  if (open.length)
    return {
      kind: 'refuse',
      tenant,
      reason: `another pull request of the tenant is open (${open[0].open}); merge or close it first`,
    };

  const read = await readTenantSettings(repository, tenant.tenant);
  if (
    read.settings.cluster !== tenant.cluster ||
    read.settings.namespace !== tenant.namespace
  ) {
    return {
      kind: 'refuse',
      tenant,
      reason: `its settings record names cluster ${read.settings.cluster}, namespace ${read.settings.namespace}, but its entity ${tenant.cluster}, ${tenant.namespace}`,
    };
  }
  const applicationsPath = `${read.directory}/${GITOPS_FILE_NAMES.applications}`;
  const current = pinnedReleases(
    read.files.get(applicationsPath)?.toString('utf8'),
  );
  // Rendered once without the cluster to learn the new pins; pure and cheap.
  const context = {
    config: run.config,
    charts: run.charts,
    gitopsBranch: tenant.branch,
  };
  const first = renderTenantDirectory(read.settings, context);
  const moves = releaseMoves(
    current,
    pinnedReleases(first.files.get(applicationsPath)),
  );
  if (!moves.length)
    return {
      kind: 'skip',
      tenant,
      reason: 'its files already pin the configured chart versions',
    };

  const cluster = requireCluster(run.clusters, tenant.cluster);
  let check: ClusterChartCheck;
  try {
    check = await checkChartsOnCluster({
      cluster,
      charts: first.charts,
      settings: run.charts,
      clientFactory: run.kubeClientFactory,
    });
  } catch (error) {
    // A cluster that cannot be asked is a refusal of this tenant, not of the run: no upgrade without the check.
    if (error instanceof InputError) throw error;
    throw new InputError((error as Error).message);
  }
  const movedRefused = check.refused.filter(c =>
    moves.some(m => m.next.chart === c.source.chart),
  );
  if (movedRefused.length && check.automaticOverride) {
    throw new InputError(
      `cluster: Kubernetes ${check.kubernetesVersion} on cluster '${cluster.name}' is refused by ` +
        `${movedRefused.map(c => `${c.source.chart} ${c.source.version} (kubeVersion ${c.source.kubeVersion})`).join(', ')}: ` +
        'an upgrade moves a tenant only onto chart versions that admit its cluster (or, knowingly, clearml.charts.kubeVersionOverride)',
    );
  }
  const rendered = renderTenantDirectory(read.settings, {
    ...context,
    kubernetesVersion: check.kubernetesVersion,
    ...(check.kubeVersionOverride
      ? { kubeVersionOverride: check.kubeVersionOverride }
      : {}),
  });
  const files = filesDiff(read.files, rendered.files);
  const releases = await Promise.all(
    moves.map(move =>
      describeMove({
        move,
        archive: run.archive,
        files: rendered.files,
        kubeVersion: rendered.charts.find(
          c => c.source.chart === move.next.chart,
        )?.source.kubeVersion,
      }),
    ),
  );
  const title = upgradePullRequestTitle(tenant.tenant, cluster.name, releases);
  return {
    kind: 'upgrade',
    tenant,
    target,
    branchName: tenantUpgradeBranchName(tenant.tenant),
    directory: read.directory,
    files: [...rendered.files].map(([path, content]) => ({
      path,
      content: Buffer.from(content, 'utf8'),
      mode: '100644' as const,
    })),
    title,
    description: renderUpgradeDescription({
      tenant: tenant.tenant,
      entityRef: tenant.entityRef,
      cluster: cluster.name,
      kubernetesVersion: check.kubernetesVersion,
      targetPath: read.directory,
      releases,
      files,
      deviations: check.deviations,
      ...(run.requestedBy ? { requestedBy: run.requestedBy } : {}),
    }),
    moves: releases.map(r => ({ chart: r.chart, from: r.from, to: r.to })),
  };
}
