/**
 * `clearml:catalog-info:render`: writes the tenant's `catalog-info.yaml` (one
 * `Resource` of type `clearml-tenant`) from validated fields with js-yaml, so
 * no form value can add a key, a document or another entity to what
 * `catalog:register` reads.
 */
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  normaliseWorkspacePath,
  parseRepoPickerUrl,
  TENANT_CATALOG_FILE,
  WORKSPACE_PATH_RULE,
} from '@clearml-openshift/plugin-clearml-common';
import {
  renderTenantCatalogInfo,
  tenantCatalogEntity,
} from '@clearml-openshift/plugin-clearml-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { examples } from './catalogInfoRender.examples';
import { configuredCluster } from './cluster/tenantPreflight';
import { workspaceRelative, writeWorkspaceFiles } from './workspaceFiles';
import {
  checkTenantOwner,
  refuseSquattedTenant,
  TenantCatalogAccess,
} from './catalog/tenantCatalog';

/**
 * The id of the action that writes a tenant's catalog entity (`createClearmlCatalogInfoRenderAction`).
 *
 * @public
 */
export const CATALOG_INFO_RENDER_ACTION_ID = 'clearml:catalog-info:render';

/**
 * `clearml:catalog-info:render`: writes the tenant's `catalog-info.yaml`, one `Resource` of type `clearml-tenant`
 * with the annotations the health card reads, from validated fields (the owner must be a Group or User reference).
 *
 * @public
 */
export function createClearmlCatalogInfoRenderAction(options: {
  config: Config;
  /** The catalog, to check the owner exists and is the user's (or one of their groups); unchecked without it. */
  tenantCatalog?: TenantCatalogAccess;
}) {
  return createTemplateAction({
    id: CATALOG_INFO_RENDER_ACTION_ID,
    description:
      "Writes the tenant's catalog-info.yaml: one Resource of type clearml-tenant with the annotations the health card " +
      'reads, rendered with js-yaml from validated fields (owner must be a Group or User entity reference).',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        tenant: z => z.string().describe('Tenant name (the entity name)'),
        owner: z =>
          z
            .string()
            .describe(
              'Owner: an entity reference of a Group or User, e.g. group:default/ml-platform',
            ),
        description: z =>
          z.string().optional().describe('What the tenant is for'),
        cluster: z => z.string().describe('Cluster name from clearml.clusters'),
        namespace: z =>
          z
            .string()
            .describe(
              "The tenant's namespace (the values action's namespace output)",
            ),
        edition: z => z.string().describe('oss or enterprise'),
        releaseName: z =>
          z
            .string()
            .optional()
            .describe('Helm release of the server (default clearml)'),
        appGateway: z =>
          z
            .boolean()
            .optional()
            .describe('Whether the enterprise app gateway is deployed'),
        webUrl: z =>
          z
            .string()
            .optional()
            .describe("The ClearML web UI's https URL, linked from the entity"),
        gitopsRepoUrl: z =>
          z
            .string()
            .optional()
            .describe(
              "The GitOps repository of the tenant's pull request (RepoUrlPicker form), read by the health card",
            ),
        gitopsBranch: z =>
          z
            .string()
            .optional()
            .describe("The pull request's branch (default clearml/<tenant>)"),
        targetPath: z =>
          z
            .string()
            .optional()
            .describe('Workspace-relative directory to write into (default .)'),
      },
      output: {
        file: z =>
          z.string().describe('Workspace-relative path of catalog-info.yaml'),
        entityRef: z =>
          z
            .string()
            .describe('The entity reference, resource:default/<tenant>'),
      },
    },
    async handler(ctx) {
      const input = ctx.input;
      const targetPath = normaliseWorkspacePath(input.targetPath ?? '.');
      if (targetPath === undefined) {
        throw new InputError(
          `targetPath: ${WORKSPACE_PATH_RULE} (got ${JSON.stringify(input.targetPath)})`,
        );
      }
      const entity = tenantCatalogEntity(input);
      configuredCluster(options.config, input.cluster, 'cluster', 'read');
      if (options.tenantCatalog) {
        // Before the first step that writes (credentials, pull request): the entity ref must be free or this tenant's.
        const repository =
          typeof input.gitopsRepoUrl === 'string'
            ? parseRepoPickerUrl(input.gitopsRepoUrl)
            : undefined;
        if (repository)
          await refuseSquattedTenant(
            options.tenantCatalog,
            entity.metadata.name,
            repository,
          );
        await checkTenantOwner(
          options.tenantCatalog,
          String(entity.spec?.owner),
          ctx.user,
          () => ctx.getInitiatorCredentials(),
        );
      }
      const file = workspaceRelative(targetPath, TENANT_CATALOG_FILE);
      await writeWorkspaceFiles(ctx.workspacePath, [
        { path: file, content: renderTenantCatalogInfo(input) },
      ]);
      const entityRef = `resource:default/${entity.metadata.name}`;
      ctx.logger.info(
        `Wrote ${file}: ${entityRef}, owner ${entity.spec?.owner}`,
      );
      ctx.output('file', file);
      ctx.output('entityRef', entityRef);
    },
  });
}
