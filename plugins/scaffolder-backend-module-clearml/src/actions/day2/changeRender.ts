/**
 * The tenant's directory after a change: re-rendered from the changed settings by the creation's renderers, with
 * the chart versions the tenant runs (a change never carries a chart upgrade; that is the upgrade action's), checked
 * against the cluster's Kubernetes version like at creation. `catalog-info.yaml` keeps its merged bytes unless a
 * field it holds changed, so a change of the agent never touches the entity's file.
 */
import { InputError } from '@backstage/errors';
import {
  TENANT_CATALOG_FILE,
  TenantSettings,
} from '@clearml-openshift/plugin-clearml-common';
import {
  ChartsSettings,
  checkChartsOnCluster,
  ClearmlCluster,
  KubernetesClientFactory,
  knownChartKubeVersion,
  RenderedTenantDirectory,
  renderTenantDirectory,
  tenantDeploymentOf,
} from '@clearml-openshift/plugin-clearml-node';
import type { Config } from '@backstage/config';

/** The configured charts with each chart the tenant's Applications install pinned to the version they install. */
export function chartsAsDeployed(
  configured: ChartsSettings,
  files: Map<string, Buffer>,
  directory: string,
): ChartsSettings {
  const deployment = tenantDeploymentOf(
    Object.fromEntries(
      [...files].map(([p, c]) => [
        p.slice(directory.length + 1),
        c.toString('utf8'),
      ]),
    ),
  );
  const sources = { ...configured.sources };
  for (const app of deployment.applications) {
    const source = app.chart ? sources[app.chart] : undefined;
    if (!source || !app.version || app.version === source.version) continue;
    const kubeVersion = knownChartKubeVersion(source.chart, app.version);
    sources[source.chart] = {
      chart: source.chart,
      repository: source.repository,
      version: app.version,
      ...(kubeVersion ? { kubeVersion } : {}),
    };
  }
  return { ...configured, sources };
}

export interface ChangedDirectory {
  rendered: RenderedTenantDirectory;
  /** The files of the change: the rendered ones, `catalog-info.yaml` as merged unless its fields changed. */
  files: Map<string, string>;
  catalogInfoChanged: boolean;
  kubernetesVersion: string;
  deviations: string[];
}

/** Renders the changed tenant; the chart check and the tenant model's rules refuse before anything is written. */
export async function renderChangedDirectory(options: {
  config: Config;
  current: TenantSettings;
  next: TenantSettings;
  currentFiles: Map<string, Buffer>;
  directory: string;
  charts: ChartsSettings;
  cluster: ClearmlCluster;
  clientFactory: KubernetesClientFactory;
  gitopsBranch: string;
}): Promise<ChangedDirectory> {
  const { config, current, next, currentFiles, directory } = options;
  const charts = chartsAsDeployed(options.charts, currentFiles, directory);
  const context = { config, charts, gitopsBranch: options.gitopsBranch };
  // The model's rules first (tier, security profile, app gateway): an InputError naming the field.
  const draft = renderTenantDirectory(next, context);
  let check;
  try {
    check = await checkChartsOnCluster({
      cluster: options.cluster,
      charts: draft.charts,
      settings: charts,
      clientFactory: options.clientFactory,
    });
  } catch (error) {
    if ((error as Error).name !== 'InputError') throw error;
    throw new InputError(
      `entityRef: the tenant's charts refuse its cluster: ${(error as Error).message}. Nothing was written`,
    );
  }
  const rendered = renderTenantDirectory(next, {
    ...context,
    kubernetesVersion: check.kubernetesVersion,
    kubeVersionOverride: check.kubeVersionOverride,
  });
  const catalogPath = `${directory}/${TENANT_CATALOG_FILE}`;
  const merged = currentFiles.get(catalogPath);
  let before: string | undefined;
  try {
    before = renderTenantDirectory(current, context).files.get(catalogPath);
  } catch {
    // The merged settings no longer render (a tier since removed from config): compare with the merged file.
    before = merged?.toString('utf8');
  }
  const catalogInfoChanged = before !== rendered.files.get(catalogPath);
  const files = new Map(rendered.files);
  if (!catalogInfoChanged && merged)
    files.set(catalogPath, merged.toString('utf8'));
  return {
    rendered,
    files,
    catalogInfoChanged,
    kubernetesVersion: check.kubernetesVersion,
    deviations: check.deviations,
  };
}
