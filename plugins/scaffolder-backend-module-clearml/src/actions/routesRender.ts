/**
 * `clearml:routes:render`: writes a tenant's OpenShift Routes to
 * `<targetPath>/routes.yaml` (nothing in ingress mode) and reports its hosts.
 */
import { resolveTenant } from '@clearml-openshift/plugin-clearml-common';
import type { Config } from '@backstage/config';
import {
  readCertificateSettings,
  renderRoutes,
} from '@clearml-openshift/plugin-clearml-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { examples } from './routesRender.examples';
import { tenantInputSchema } from './tenantInput';
import { workspaceRelative, writeWorkspaceFiles } from './workspaceFiles';

/**
 * The id of the action that renders a tenant's OpenShift Routes (`createClearmlRoutesRenderAction`).
 *
 * @public
 */
export const ROUTES_RENDER_ACTION_ID = 'clearml:routes:render';

/**
 * `clearml:routes:render`: writes the tenant's OpenShift Routes (`routes.yaml`; none in ingress mode) into the
 * workspace and outputs the files and hosts. Reads `clearml.certificates` (which certificate serves the Routes;
 * default: the router's) and touches nothing outside the workspace.
 *
 * @public
 */
export function createClearmlRoutesRenderAction(options?: { config?: Config }) {
  const certificates = options?.config
    ? readCertificateSettings(options.config)
    : undefined;
  return createTemplateAction({
    id: ROUTES_RENDER_ACTION_ID,
    description:
      'Renders the OpenShift Routes of a ClearML tenant (api, files, web and, with the enterprise app gateway, ' +
      'a wildcard Route) into <targetPath>/routes.yaml. Writes nothing when exposure is ingress.',
    examples,
    supportsDryRun: true,
    schema: {
      input: tenantInputSchema,
      output: {
        files: z =>
          z
            .array(z.string())
            .describe(
              'Workspace-relative paths of the files written (empty in ingress mode)',
            ),
        hosts: z =>
          z
            .object({
              api: z.string(),
              files: z.string(),
              web: z.string(),
              appGateway: z
                .string()
                .optional()
                .describe(
                  'Wildcard served by the app gateway, *.appgw.<domain>',
                ),
            })
            .describe('Public host names of the tenant'),
      },
    },
    async handler(ctx) {
      // The scaffolder only checks the JSON schema: rules and defaults are applied here, before anything is written.
      const tenant = resolveTenant(ctx.input);
      const { file, hosts, routes } = renderRoutes(tenant, certificates);
      const files = file
        ? [
            {
              path: workspaceRelative(tenant.targetPath, file.path),
              content: file.content,
            },
          ]
        : [];

      // A dry run writes too: its workspace is a scratch copy, and the written files are what it shows.
      await writeWorkspaceFiles(ctx.workspacePath, files);
      if (files.length) {
        ctx.logger.info(
          `Wrote ${routes.length} Routes for tenant ${tenant.tenant} to ${files[0].path}`,
        );
      } else {
        ctx.logger.info(
          `Exposure is ingress: no Routes for tenant ${tenant.tenant}; the charts' Ingresses expose it`,
        );
      }

      ctx.output(
        'files',
        files.map(f => f.path),
      );
      ctx.output('hosts', hosts);
    },
  });
}
