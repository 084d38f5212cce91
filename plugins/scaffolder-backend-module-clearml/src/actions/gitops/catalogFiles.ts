/**
 * The pull request carries exactly one catalog entity: the tenant's own
 * `catalog-info.yaml`. Any other YAML file that holds a Backstage catalog
 * entity (a Location, a Template, a Group, another tenant's Resource...) is
 * refused, wherever it is in what would be pushed: a catalog provider that
 * scans the repository, or a later registration, would otherwise read it.
 */
import yaml from 'js-yaml';
import type { RepositoryFile } from '@clearml-openshift/plugin-clearml-node';

const CATALOG_API_VERSION = /^(backstage\.io|scaffolder\.backstage\.io)\//;

function isCatalogEntity(doc: unknown): boolean {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return false;
  const { apiVersion, kind } = doc as { apiVersion?: unknown; kind?: unknown };
  return (
    typeof kind === 'string' &&
    typeof apiVersion === 'string' &&
    CATALOG_API_VERSION.test(apiVersion)
  );
}

/** The first file besides `ownCatalogFile` that holds a catalog entity (or YAML that cannot be checked), if any. */
export function strayCatalogEntityProblem(
  files: RepositoryFile[],
  ownCatalogFile: string,
): string | undefined {
  for (const file of files) {
    if (file.path === ownCatalogFile) continue;
    if (!/\.(ya?ml|json)$/i.test(file.path)) continue;
    let docs: unknown[];
    try {
      docs = yaml.loadAll(file.content.toString('utf8'), undefined, {
        schema: yaml.CORE_SCHEMA,
      });
    } catch (error) {
      return `${file.path} is not valid YAML, so it cannot be checked for catalog entities (${(error as Error).message.split('\n')[0]})`;
    }
    const entity = docs.find(isCatalogEntity) as
      { apiVersion: string; kind: string } | undefined;
    if (entity) {
      return `${file.path} holds a catalog entity (${entity.apiVersion} ${entity.kind}); the only catalog file a tenant's pull request may carry is ${ownCatalogFile}`;
    }
  }
  return undefined;
}
