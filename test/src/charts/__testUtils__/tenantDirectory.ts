/**
 * A tenant's GitOps directory as the pull request puts it in the repository,
 * rendered by the same renderers the actions call: values, Routes, Namespace,
 * SCC RoleBindings and Applications, under `<repoRoot>/tenants/<tenant>/`.
 */
import fs from 'fs';
import path from 'path';
import { ConfigReader } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import {
  resolveTenant,
  Tenant,
  TenantInput,
  tenantGitopsPath,
} from '@clearml-openshift/plugin-clearml-common';
import {
  readArgocdSettings,
  readCertificateSettings,
  readChartsSettings,
  readCredentialsDelivery,
  readImageSettings,
  renderGitopsFiles,
  renderRoutes,
  renderTenantValues,
  tenantCharts,
} from '@clearml-openshift/plugin-clearml-node';

export const GITOPS_REPO_URL = 'https://github.com/platform/gitops.git';

export interface TenantDirectory {
  tenant: Tenant;
  dir: string;
  files: string[];
}

export function writeTenantDirectory(options: {
  repoRoot: string;
  input: TenantInput;
  kubernetesVersion: string;
  /** `clearml.charts` / `clearml.gitops.argocd` / `clearml.images` config, as a platform team would write it. */
  config?: JsonObject;
  /** The kubeVersion the cluster check decided (checkChartsOnCluster); default the configured override. */
  kubeVersionOverride?: string;
}): TenantDirectory {
  const config = new ConfigReader({ clearml: options.config ?? {} });
  const tenant = resolveTenant(options.input);
  const charts = readChartsSettings(config);
  const gitopsPath = tenantGitopsPath(tenant.tenant);
  const certificates = readCertificateSettings(config);
  const routes = renderRoutes(tenant, certificates);
  const files = [
    ...renderTenantValues(tenant, { images: readImageSettings(config) }).files,
    ...(routes.file ? [routes.file] : []),
    ...renderGitopsFiles({
      tenant,
      cluster: 'ocp',
      charts: tenantCharts(tenant, charts),
      settings: readArgocdSettings(config),
      repoURL: GITOPS_REPO_URL,
      gitopsPath,
      kubernetesVersion: options.kubernetesVersion,
      kubeVersionOverride:
        options.kubeVersionOverride ?? charts.kubeVersionOverride,
      credentials: readCredentialsDelivery(config),
      certificates,
    }).files,
  ];
  const dir = path.join(options.repoRoot, gitopsPath);
  fs.mkdirSync(dir, { recursive: true });
  for (const file of files)
    fs.writeFileSync(path.join(dir, file.path), file.content);
  return { tenant, dir, files: files.map(f => f.path) };
}
