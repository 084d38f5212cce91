/**
 * The tenant's catalog entity, `catalog-info.yaml`: data, never text. Every
 * field is validated and the file is dumped with js-yaml, so no value can add
 * a key, a document or another entity; `tenantCatalogInfoProblem` is the check
 * the pull-request action applies to the file before it is pushed (and so
 * before `catalog:register` reads it).
 */
import { Entity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  appGatewayNames,
  CLEARML_TENANT_RESOURCE_TYPE,
  DEFAULT_RELEASE_NAME,
  EDITIONS,
  isDns1123Label,
  parseRepoPickerUrl,
  tenantNameProblem,
  tenantBranchName,
  isBranchName,
  tenantEntityAnnotations,
  tenantOwnerRef,
  tenantDescriptionProblem,
  tenantClusterProblem,
} from '@clearml-openshift/plugin-clearml-common';
import yaml from 'js-yaml';

/** @public */
export interface TenantCatalogInfoInput {
  tenant: string;
  /** An entity reference of a Group or User, e.g. `group:default/ml-platform` (kind defaults to group). */
  owner: string;
  description?: string;
  cluster: string;
  namespace: string;
  edition: string;
  releaseName?: string;
  appGateway?: boolean;
  /** The ClearML web UI, linked from the entity. */
  webUrl?: string;
  /** The GitOps repository of the tenant's pull request (RepoUrlPicker's `host?owner=&repo=`), so its card follows the review. */
  gitopsRepoUrl?: string;
  /** The pull request's branch (default `clearml/<tenant>`). */
  gitopsBranch?: string;
}

function isHttpsUrl(value: string): boolean {
  try {
    return new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * The entity, validated; one InputError names every bad field.
 *
 * @public
 */
export function tenantCatalogEntity(input: TenantCatalogInfoInput): Entity {
  const problems: string[] = [];
  const tenantProblem = tenantNameProblem(input.tenant);
  if (tenantProblem) problems.push(tenantProblem);
  const owner = tenantOwnerRef(input.owner, problems);
  const clusterProblem = tenantClusterProblem(input.cluster);
  if (clusterProblem) problems.push(clusterProblem);
  if (typeof input.namespace !== 'string' || !isDns1123Label(input.namespace)) {
    problems.push(
      `namespace: must be a DNS-1123 label (got ${JSON.stringify(input.namespace)})`,
    );
  }
  if (!(EDITIONS as readonly string[]).includes(input.edition)) {
    problems.push(
      `edition: must be one of ${EDITIONS.join(', ')} (got ${JSON.stringify(input.edition)})`,
    );
  }
  const release = input.releaseName || DEFAULT_RELEASE_NAME;
  if (!isDns1123Label(release))
    problems.push(
      `releaseName: must be a DNS-1123 label (got ${JSON.stringify(release)})`,
    );
  const descriptionProblem = tenantDescriptionProblem(input.description);
  if (descriptionProblem) problems.push(descriptionProblem);
  if (
    input.webUrl !== undefined &&
    (typeof input.webUrl !== 'string' || !isHttpsUrl(input.webUrl))
  ) {
    problems.push(
      `webUrl: must be an https URL (got ${JSON.stringify(input.webUrl)})`,
    );
  }
  if (
    input.gitopsRepoUrl !== undefined &&
    (typeof input.gitopsRepoUrl !== 'string' ||
      !parseRepoPickerUrl(input.gitopsRepoUrl))
  ) {
    problems.push(
      `gitopsRepoUrl: must be a repository as RepoUrlPicker writes it, host?owner=…&repo=… (got ${JSON.stringify(input.gitopsRepoUrl)})`,
    );
  }
  const gitopsBranch =
    input.gitopsBranch ??
    (typeof input.tenant === 'string' ? tenantBranchName(input.tenant) : '');
  if (
    typeof gitopsBranch !== 'string' ||
    !/^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$/.test(gitopsBranch) ||
    !isBranchName(gitopsBranch)
  ) {
    problems.push(
      `gitopsBranch: must be a branch name (got ${JSON.stringify(input.gitopsBranch)})`,
    );
  }
  if (problems.length)
    throw new InputError(
      `Invalid tenant catalog entity: ${problems.join('; ')}`,
    );

  const annotations = tenantEntityAnnotations({
    tenant: input.tenant,
    cluster: input.cluster,
    namespace: input.namespace,
    release,
    edition: input.edition,
    ...(input.appGateway
      ? {
          appGateway: {
            namespace: input.namespace,
            release: appGatewayNames(release).release,
          },
        }
      : {}),
    ...(input.gitopsRepoUrl
      ? { gitops: { repoUrl: input.gitopsRepoUrl, branch: gitopsBranch } }
      : {}),
  });
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: input.tenant,
      title: `ClearML tenant ${input.tenant}`,
      ...(input.description ? { description: input.description } : {}),
      annotations,
      ...(input.webUrl
        ? { links: [{ url: input.webUrl, title: 'ClearML web UI' }] }
        : {}),
      tags: ['clearml'],
    },
    spec: { type: CLEARML_TENANT_RESOURCE_TYPE, owner },
  };
}

/**
 * `catalog-info.yaml` of the tenant: one YAML document, dumped by js-yaml.
 *
 * @public
 */
export function renderTenantCatalogInfo(input: TenantCatalogInfoInput): string {
  const header =
    "# The ClearML tenant's catalog entity, rendered by clearml:catalog-info:render.\n";
  return (
    header +
    yaml.dump(tenantCatalogEntity(input), { lineWidth: -1, noRefs: true })
  );
}

/**
 * What makes a catalog file something other than exactly this tenant's one
 * Resource of type `clearml-tenant`, or undefined when it is just that.
 *
 * @public
 */
export function tenantCatalogInfoProblem(
  text: string,
  tenant: string,
): string | undefined {
  let docs: unknown[];
  try {
    docs = yaml
      .loadAll(text, undefined, { schema: yaml.CORE_SCHEMA })
      .filter(d => d !== null && d !== undefined);
  } catch (error) {
    return `is not valid YAML (${(error as Error).message.split('\n')[0]})`;
  }
  if (docs.length !== 1)
    return `must hold exactly one entity (it holds ${docs.length} YAML documents)`;
  const entity = docs[0] as Partial<Entity>;
  if (!entity || typeof entity !== 'object' || Array.isArray(entity))
    return 'must hold an entity object';
  if (
    entity.apiVersion !== 'backstage.io/v1alpha1' ||
    entity.kind !== 'Resource'
  ) {
    return `must hold a backstage.io/v1alpha1 Resource (it holds ${JSON.stringify(entity.apiVersion)} ${JSON.stringify(entity.kind)})`;
  }
  if (entity.metadata?.name !== tenant)
    return `must describe resource ${tenant} (it names ${JSON.stringify(entity.metadata?.name)})`;
  if ((entity.metadata?.namespace ?? 'default') !== 'default')
    return 'must be in the catalog namespace default';
  if ((entity.spec as any)?.type !== CLEARML_TENANT_RESOURCE_TYPE) {
    return `must have spec.type ${CLEARML_TENANT_RESOURCE_TYPE} (it has ${JSON.stringify((entity.spec as any)?.type)})`;
  }
  return undefined;
}
