/**
 * `clearml:argocd:render`: makes the tenant's directory everything Argo CD
 * (OpenShift GitOps) needs once the pull request is merged: the Namespace,
 * the SCC RoleBindings and an Application per Helm release (multi-source:
 * chart + values from the GitOps repository), ordered by sync waves. Checks
 * first that the configured charts install on the cluster's Kubernetes version.
 */
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  renderTenantSettings,
  resolveTenant,
  tenantGitopsPath,
  tenantSettingsOf,
  TENANT_SETTINGS_FILE,
} from '@clearml-openshift/plugin-clearml-common';
import {
  argocdRepoURL,
  readArgocdSettings,
  readCredentialsDelivery,
  readCertificateSettings,
  assertCertificatesSupported,
  renderGitopsFiles,
} from '@clearml-openshift/plugin-clearml-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { examples } from './argocdRender.examples';
import { ChartCheckOptions, createChartCheck } from './clusterCharts';
import { createStorageClassCheck } from './clusterStorage';
import { gitopsSummarySchema } from './gitops/gitopsSummarySchema';
import { validateRepositoryPath } from './gitops/layout';
import { tenantInputSchema } from './tenantInput';
import { workspaceRelative, writeWorkspaceFiles } from './workspaceFiles';

/**
 * The id of the action that renders a tenant's Argo CD unit (`createClearmlArgocdRenderAction`).
 *
 * @public
 */
export const ARGOCD_RENDER_ACTION_ID = 'clearml:argocd:render';

/**
 * `clearml:argocd:render`: writes what Argo CD (OpenShift GitOps) needs to run the tenant once its pull request is
 * merged: the Namespace, the SCC RoleBindings and (with `clearml.gitops.argocd.render: applications`) one Application
 * per Helm release, after checking the charts against the cluster's Kubernetes version. With `owner` it also writes
 * the tenant's settings record (`tenant-settings.yaml`), which the day-2 actions re-render the directory from.
 *
 * @public
 */
export function createClearmlArgocdRenderAction(
  options: ChartCheckOptions & { config: Config },
) {
  const settings = readArgocdSettings(options.config);
  const credentials = readCredentialsDelivery(options.config);
  const certificates = readCertificateSettings(options.config);
  const chartCheck = createChartCheck(options);
  const storageCheck = createStorageClassCheck(options);

  return createTemplateAction({
    id: ARGOCD_RENDER_ACTION_ID,
    description:
      'Renders what Argo CD needs to deploy a ClearML tenant from its GitOps directory: namespace.yaml (owned by the tenant), ' +
      'scc-grants.yaml (the RoleBindings clearml:scc:grant would create), credentials.yaml (an ExternalSecret that generates ' +
      "the tenant's credentials Secret on the cluster, with clearml.credentials.delivery: externalSecrets) and applications.yaml (an Application per Helm " +
      "release; not with clearml.gitops.argocd.render: plain), and with owner the tenant's settings record tenant-settings.yaml " +
      '(data for the day-2 actions, never applied). Refuses a cluster whose Kubernetes version the configured charts refuse.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        ...tenantInputSchema,
        cluster: z =>
          z
            .string()
            .describe(
              'The cluster (a name from clearml.clusters) the tenant runs on',
            ),
        repoUrl: z =>
          z
            .string()
            .optional()
            .describe(
              'GitOps repository (RepoUrlPicker form); Argo CD clones it unless clearml.gitops.argocd.repoURL is set',
            ),
        gitopsPath: z =>
          z
            .string()
            .optional()
            .describe(
              "The tenant's directory in the GitOps repository (default tenants/<tenant>)",
            ),
        owner: z =>
          z
            .string()
            .optional()
            .describe(
              `The tenant's owner (a Group or User entity reference): with it, the action also writes the tenant's settings record ${TENANT_SETTINGS_FILE}, which day-2 actions re-render the directory from (needs repoUrl)`,
            ),
        description: z =>
          z
            .string()
            .optional()
            .describe('What the tenant is for (kept in the settings record)'),
      },
      output: {
        files: z =>
          z.array(z.string()).describe('Workspace-relative paths written'),
        kubernetesVersion: z =>
          z
            .string()
            .describe(
              "The cluster's Kubernetes version the charts were checked against",
            ),
        deviations: z =>
          z
            .array(z.string())
            .describe(
              'Departures the reviewer must know (a kubeVersion override and its risk)',
            ),
        summary: z =>
          gitopsSummarySchema(z).describe(
            'What merging deploys, for the pull request (summary.gitops of clearml:gitops:pull-request)',
          ),
      },
    },
    async handler(ctx) {
      // Every rule before the first request or write: the tenant, the paths, the repository, then the cluster.
      const tenant = resolveTenant(ctx.input, { tiers: chartCheck.tiers });
      const gitopsPath = validateRepositoryPath(
        'gitopsPath',
        ctx.input.gitopsPath ?? tenantGitopsPath(tenant.tenant),
      );
      const repoURL = argocdRepoURL(settings, ctx.input.repoUrl);
      const check = await chartCheck.check(tenant, ctx.input.cluster);
      const deviations =
        check.kubeVersionOverride && settings.render === 'plain'
          ? check.deviations.map(
              d =>
                `${d} With render: plain, your ApplicationSet must set helm.kubeVersion ${check.kubeVersionOverride}.`,
            )
          : check.deviations;

      try {
        assertCertificatesSupported(certificates, check.kubernetesVersion);
      } catch (e) {
        throw new InputError((e as Error).message);
      }

      // The settings record names the StorageClass the values name: the chosen one, or the cluster's default.
      const record =
        ctx.input.owner !== undefined
          ? tenantSettingsOf(
              await storageCheck.resolve(tenant, ctx.input.cluster),
              {
                owner: ctx.input.owner,
                description: ctx.input.description,
                cluster: ctx.input.cluster,
                repoUrl: ctx.input.repoUrl,
              },
            )
          : undefined;

      const rendered = renderGitopsFiles({
        tenant,
        cluster: check.cluster,
        charts: check.charts,
        settings,
        repoURL,
        gitopsPath,
        kubernetesVersion: check.kubernetesVersion,
        kubeVersionOverride: check.kubeVersionOverride,
        credentials,
        certificates,
      });
      const files = [
        ...rendered.files,
        ...(record
          ? [
              {
                path: TENANT_SETTINGS_FILE,
                content: renderTenantSettings(record),
              },
            ]
          : []),
      ].map(file => ({
        path: workspaceRelative(tenant.targetPath, file.path),
        content: file.content,
      }));
      await writeWorkspaceFiles(ctx.workspacePath, files);
      ctx.logger.info(
        `Wrote ${files.map(f => f.path).join(', ')} for tenant ${tenant.tenant}: Kubernetes ${check.kubernetesVersion} on ${check.cluster}, ` +
          `${rendered.summary.releases.map(r => `${r.chart} ${r.version}`).join(', ')}` +
          `${check.kubeVersionOverride ? `, rendered for Kubernetes ${check.kubeVersionOverride} (override)` : ''}`,
      );

      ctx.output(
        'files',
        files.map(f => f.path),
      );
      ctx.output('kubernetesVersion', check.kubernetesVersion);
      ctx.output('deviations', deviations);
      ctx.output('summary', rendered.summary);
    },
  });
}
