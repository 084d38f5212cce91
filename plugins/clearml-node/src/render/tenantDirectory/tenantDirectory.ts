/**
 * A tenant's whole GitOps directory from its settings record, as the "New ClearML tenant" template's render actions
 * write it: the same renderers, fed from the same config readers. Day-2 actions (change, upgrade) re-render a tenant
 * with it and diff the result against the repository. Pure: the cluster's answers come in the context.
 */
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  renderTenantSettings,
  resolveTenant,
  Tenant,
  TENANT_CATALOG_FILE,
  TENANT_SETTINGS_FILE,
  tenantDirectory,
  tenantGitopsPath,
  tenantInputOfSettings,
  tenantNamespaceProblem,
  TenantSettings,
} from '@clearml-openshift/plugin-clearml-common';
import { ChartsSettings, readChartsSettings } from '../../charts/chartsConfig';
import { TenantChart, tenantCharts } from '../../charts/tenantCharts';
import { argocdRepoURL, readArgocdSettings } from '../../gitops/argocdConfig';
import { readCredentialsDelivery } from '../../gitops/credentialsConfig';
import { readImageSettings } from '../../images/imagesConfig';
import { readTenantNamespacePolicy } from '../../tenants/tenantNamespacePolicy';
import { readTiers } from '../../tenants/tiersConfig';
import {
  RenderedGitopsFiles,
  renderGitopsFiles,
} from '../argocd/renderGitopsFiles';
import { renderTenantCatalogInfo } from '../catalogInfo/catalogInfo';
import { readCertificateSettings } from '../certificates/certificates';
import { RenderedRoutes, renderRoutes } from '../routes/routes';
import {
  RenderedTenantValues,
  renderTenantValues,
} from '../values/renderTenantValues';

/**
 * What a tenant's directory depends on besides its settings: the platform's config and what the cluster answered.
 *
 * @public
 */
export interface TenantDirectoryContext {
  /** Backstage config: clearml.gitops.argocd, .credentials, .certificates, .charts, .tiers, .images. */
  config: Config;
  /** The charts to render with instead of clearml.charts (an upgrade renders with the new versions). */
  charts?: ChartsSettings;
  /** The Kubernetes version the Applications render the charts for when they refuse the cluster's (the chart check's). */
  kubeVersionOverride?: string;
  /** The cluster's Kubernetes version, for the deployment summary only. */
  kubernetesVersion?: string;
  /** The branch the catalog entity's card follows (default `clearml/<tenant>`, as at creation). */
  gitopsBranch?: string;
}

/**
 * The tenant's directory as the creation template writes it, and what each renderer reported.
 *
 * @public
 */
export interface RenderedTenantDirectory {
  /** `tenants/<tenant>`. */
  directory: string;
  /** Every file of the directory: repository path → content. */
  files: Map<string, string>;
  tenant: Tenant;
  charts: TenantChart[];
  values: RenderedTenantValues;
  routes: RenderedRoutes;
  gitops: RenderedGitopsFiles;
}

/**
 * Renders every file of a tenant's GitOps directory from its settings record. Throws an InputError naming the field
 * when the record breaks a rule the config decides (a tier clearml.tiers does not define, a chart not configured, a
 * namespace clearml.tenants does not give the tenant).
 *
 * @public
 */
export function renderTenantDirectory(
  settings: TenantSettings,
  context: TenantDirectoryContext,
): RenderedTenantDirectory {
  const { config } = context;
  const tenant = resolveTenant(tenantInputOfSettings(settings), {
    tiers: readTiers(config),
  });
  // The record is read from git: its namespace must be one clearml.tenants gives this tenant (the cluster's labels
  // are the pull request preflight's to check).
  const namespace = tenantNamespaceProblem(
    readTenantNamespacePolicy(config),
    tenant.tenant,
    tenant.namespace,
    undefined,
  );
  if (namespace) throw new InputError(`namespace: ${namespace.message}`);
  const charts = tenantCharts(
    tenant,
    context.charts ?? readChartsSettings(config),
  );
  const certificates = readCertificateSettings(config);
  const argocd = readArgocdSettings(config);

  const values = renderTenantValues(tenant, {
    images: readImageSettings(config),
    charts,
  });
  const routes = renderRoutes(tenant, certificates);
  const gitops = renderGitopsFiles({
    tenant,
    cluster: settings.cluster,
    charts,
    settings: argocd,
    repoURL: argocdRepoURL(argocd, settings.repoUrl),
    gitopsPath: tenantGitopsPath(tenant.tenant),
    kubernetesVersion: context.kubernetesVersion,
    kubeVersionOverride: context.kubeVersionOverride,
    credentials: readCredentialsDelivery(config),
    certificates,
  });
  const catalogInfo = renderTenantCatalogInfo({
    tenant: tenant.tenant,
    owner: settings.owner,
    description: settings.description,
    cluster: settings.cluster,
    namespace: values.namespace,
    edition: tenant.edition,
    releaseName: tenant.releaseName,
    appGateway: tenant.appGateway.enabled,
    webUrl: values.urls.web,
    gitopsRepoUrl: settings.repoUrl,
    gitopsBranch: context.gitopsBranch,
  });

  const directory = tenantDirectory(tenant.tenant);
  const files = new Map<string, string>();
  for (const file of [
    ...values.files,
    ...(routes.file ? [routes.file] : []),
    ...gitops.files,
    { path: TENANT_CATALOG_FILE, content: catalogInfo },
    { path: TENANT_SETTINGS_FILE, content: renderTenantSettings(settings) },
  ])
    files.set(`${directory}/${file.path}`, file.content);
  return { directory, files, tenant, charts, values, routes, gitops };
}
