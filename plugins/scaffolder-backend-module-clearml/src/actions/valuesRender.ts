/**
 * `clearml:values:render`: writes a tenant's Helm values (server, and when
 * enabled agent and app gateway) below `<targetPath>` and reports the public
 * URLs, the SCC grants the values rely on, the namespace and the places where
 * the files deliberately depart from ClearML's and Red Hat's documentation.
 */
import { resolveTenant } from '@clearml-openshift/plugin-clearml-common';
import {
  configuredTenantCharts,
  readImageSettings,
  renderTenantValues,
} from '@clearml-openshift/plugin-clearml-node';
import { ConfigReader } from '@backstage/config';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { examples } from './valuesRender.examples';
import { ChartCheckOptions, createChartCheck } from './clusterCharts';
import { createStorageClassCheck } from './clusterStorage';
import { tenantInputSchema } from './tenantInput';
import { workspaceRelative, writeWorkspaceFiles } from './workspaceFiles';

/**
 * The id of the action that renders a tenant's ClearML Helm values (`createClearmlValuesRenderAction`).
 *
 * @public
 */
export const VALUES_RENDER_ACTION_ID = 'clearml:values:render';

/**
 * `clearml:values:render`: writes the tenant's Helm values (`clearml-values.yaml`, and the agent's and app gateway's
 * when enabled) into the workspace and outputs its URLs, namespace and SCC grants. With `config` and a `cluster`
 * input it first checks the charts against the cluster's Kubernetes version.
 *
 * @public
 */
export function createClearmlValuesRenderAction(
  options: ChartCheckOptions = {},
) {
  const chartCheck = createChartCheck(options);
  const storageCheck = createStorageClassCheck(options);
  const images = readImageSettings(options.config ?? new ConfigReader({}));
  return createTemplateAction({
    id: VALUES_RENDER_ACTION_ID,
    description:
      'Renders the Helm values of a ClearML tenant for OpenShift into <targetPath>/clearml-values.yaml ' +
      '(plus clearml-agent-values.yaml and clearml-app-gateway-values.yaml when enabled) and outputs the public URLs, ' +
      'the SCC grants the values rely on, and where they depart from the vendor documentation.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        ...tenantInputSchema,
        cluster: z =>
          z
            .string()
            .optional()
            .describe(
              'The cluster (from clearml.clusters) the tenant runs on: when given, refused unless the configured charts accept its Kubernetes version',
            ),
      },
      output: {
        files: z =>
          z
            .array(z.string())
            .describe('Workspace-relative paths of the values files written'),
        urls: z =>
          z
            .object({ api: z.string(), files: z.string(), web: z.string() })
            .describe('Public https URLs of the tenant'),
        sccGrants: z =>
          z
            .array(
              z.object({
                scc: z.string(),
                serviceAccount: z.string(),
                reason: z.string(),
              }),
            )
            .describe(
              'SCC grants the values rely on, for clearml:scc:grant and the pull-request summary',
            ),
        namespace: z => z.string().describe('Namespace of the ClearML server'),
        deviations: z =>
          z
            .array(z.string())
            .describe(
              'One line per place where the files deliberately depart from the vendor docs, for the PR summary',
            ),
        images: z =>
          z
            .object({
              registry: z.string().optional(),
              pullSecret: z.string().optional(),
              references: z.array(z.string()),
              replaced: z.array(
                z.object({
                  from: z.string(),
                  to: z.string(),
                  sources: z.array(z.string()),
                }),
              ),
            })
            .describe(
              'Every image the rendered charts pull (after the dead-image replacements and the mirror of clearml.images), for the review and the pull request',
            ),
        storageClassName: z =>
          z
            .string()
            .optional()
            .describe(
              "The StorageClass every claim names: the chosen one, or with cluster the cluster's default",
            ),
        kubernetesVersion: z =>
          z
            .string()
            .optional()
            .describe(
              "The cluster's Kubernetes version the charts were checked against (with cluster)",
            ),
      },
    },
    async handler(ctx) {
      // The scaffolder only checks the JSON schema: rules and defaults are applied here, before anything is written.
      const requested = resolveTenant(ctx.input, { tiers: chartCheck.tiers });
      // The template's first step: a cluster the charts refuse, or a StorageClass it lacks, is refused here, before any file is written.
      const check =
        ctx.input.cluster !== undefined
          ? await chartCheck.check(requested, ctx.input.cluster)
          : undefined;
      const tenant =
        ctx.input.cluster !== undefined
          ? await storageCheck.resolve(requested, ctx.input.cluster)
          : requested;
      const rendered = renderTenantValues(tenant, {
        images,
        charts:
          check?.charts ?? configuredTenantCharts(tenant, chartCheck.settings),
      });
      const files = rendered.files.map(file => ({
        path: workspaceRelative(tenant.targetPath, file.path),
        content: file.content,
      }));

      // A dry run writes too, as Backstage's fetch actions do: its workspace is a scratch copy, and the files are what it shows.
      await writeWorkspaceFiles(ctx.workspacePath, files);
      ctx.logger.info(
        `Wrote ${files.map(f => f.path).join(', ')} for tenant ${tenant.tenant} (${tenant.edition}, profile ${tenant.securityProfile}); ` +
          `${rendered.sccGrants.length} SCC grant(s): ${rendered.sccGrants.map(g => `${g.scc} -> ${g.serviceAccount}`).join(', ') || 'none'}`,
      );

      ctx.output(
        'files',
        files.map(f => f.path),
      );
      ctx.output('urls', rendered.urls);
      ctx.output('sccGrants', rendered.sccGrants);
      ctx.output('namespace', rendered.namespace);
      ctx.output('deviations', [
        ...rendered.deviations,
        ...(check?.deviations ?? []),
      ]);
      ctx.output('images', rendered.images);
      if (tenant.storageClassName)
        ctx.output('storageClassName', tenant.storageClassName);
      if (check) ctx.output('kubernetesVersion', check.kubernetesVersion);
    },
  });
}
