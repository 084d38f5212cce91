/**
 * Which catalog entity is a tenant: only the one the product registered
 * (docs/security.md, "Tenant identity"). A `Resource` of type `clearml-tenant`
 * in namespace `default`, named like the tenant, whose
 * `backstage.io/managed-by-location` is the tenant's own file
 * `tenants/<tenant>/catalog-info.yaml` in a configured GitOps repository: on
 * GitHub (the `/blob/<ref>/` URL the pull-request action registers), on GitLab
 * (`<group path>/<project>/-/blob/<ref>/`), or
 * through the clearml backend's local-git route for a local target. Every
 * tenant-reading path asks this one function; anything else is not a tenant.
 */
import { CLEARML_TENANT_RESOURCE_TYPE } from './annotations';
import {
  LOCAL_GIT_ROUTE,
  TENANT_CATALOG_FILE,
  isCommitSha,
} from './gitopsFiles';
import { isTenantName } from './tenantName';

/**
 * What the rule reads of a catalog entity (a Backstage `Entity` is one).
 *
 * @public
 */
export interface TenantEntityLike {
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    annotations?: Record<string, string>;
  };
  spec?: Record<string, unknown> | { [key: string]: any };
}

/**
 * The annotation the catalog sets to the location an entity was read from.
 *
 * @public
 */
export const MANAGED_BY_LOCATION_ANNOTATION =
  'backstage.io/managed-by-location';

/**
 * The catalog namespace every tenant entity lives in.
 *
 * @public
 */
export const TENANT_ENTITY_NAMESPACE = 'default';

/**
 * The tenant's directory in a GitOps repository.
 *
 * @public
 */
export function tenantDirectory(tenant: string): string {
  return `tenants/${tenant}`;
}

/**
 * The catalog entity reference of a tenant: `resource:default/<tenant>`.
 *
 * @public
 */
export function tenantEntityRef(tenant: string): string {
  return `resource:${TENANT_ENTITY_NAMESPACE}/${tenant}`;
}

/** @public */
export interface GitopsRepository {
  host: string;
  owner: string;
  repo: string;
}

/**
 * Where tenants may come from: the configured GitOps repositories and the clearml backend's base URLs (for local targets).
 *
 * @public
 */
export interface TenantAnchorSources {
  /** GitHub (or GitHub Enterprise) and GitLab repositories: `clearml.gitops.repositories`. */
  repositories: readonly GitopsRepository[];
  /** Hosts of the local git targets (`clearml.gitops.localTargets`), whose repositories the local-git route serves. */
  localHosts: readonly string[];
  /** Base URLs of the clearml backend (`.../api/clearml`) the local-git route is reached at. */
  clearmlBaseUrls: readonly string[];
}

/**
 * The tenant an entity is, and the GitOps repository its file is in.
 *
 * @public
 */
export interface TenantAnchor {
  tenant: string;
  repository: GitopsRepository;
  /** `github`, `gitlab` or `local`. */
  kind: 'github' | 'gitlab' | 'local';
  /** The ref (commit SHA or branch) of the registered file. */
  ref: string;
}

const same = (a: GitopsRepository, b: GitopsRepository) =>
  a.host.toLowerCase() === b.host.toLowerCase() &&
  a.owner.toLowerCase() === b.owner.toLowerCase() &&
  a.repo.toLowerCase() === b.repo.toLowerCase();

function decodeSegments(pathname: string): string[] | undefined {
  try {
    return pathname.split('/').slice(1).map(decodeURIComponent);
  } catch {
    return undefined;
  }
}

/**
 * `<owner>/<repo>/blob/<ref>/tenants/<tenant>/catalog-info.yaml` on a configured repository's host (the catalog
 * writes the location it registered as `/tree/<ref>/`).
 */
function githubAnchor(
  url: URL,
  sources: TenantAnchorSources,
): (Omit<TenantAnchor, 'tenant'> & { file: string[] }) | undefined {
  if (url.protocol !== 'https:' || url.search || url.hash) return undefined;
  const segments = decodeSegments(url.pathname);
  if (
    !segments ||
    segments.length !== 7 ||
    !['blob', 'tree'].includes(segments[2])
  )
    return undefined;
  const [owner, repo, , ref, ...file] = segments;
  const repository = sources.repositories.find(r =>
    same(r, { host: url.host, owner, repo }),
  );
  if (!repository) return undefined;
  return { repository, kind: 'github', ref, file };
}

/**
 * `<group path>/<project>/-/blob/<ref>/tenants/<tenant>/catalog-info.yaml` on a configured repository's host: the
 * whole path before `/-/blob/` must be that repository's (a longer path is another project). GitLab instances
 * served below a path (`baseUrl` `https://host/gitlab`) are not recognised.
 */
function gitlabAnchor(
  url: URL,
  sources: TenantAnchorSources,
): (Omit<TenantAnchor, 'tenant'> & { file: string[] }) | undefined {
  if (!['https:', 'http:'].includes(url.protocol) || url.search || url.hash)
    return undefined;
  const marker = url.pathname.indexOf('/-/');
  if (marker < 0) return undefined;
  const project = decodeSegments(url.pathname.slice(0, marker));
  const rest = decodeSegments(url.pathname.slice(marker + 2));
  if (
    !project ||
    !rest ||
    rest.length !== 5 ||
    !['blob', 'tree'].includes(rest[0])
  )
    return undefined;
  const [, ref, ...file] = rest;
  const repository = sources.repositories.find(
    r =>
      r.host.toLowerCase() === url.host.toLowerCase() &&
      `${r.owner}/${r.repo}`.toLowerCase() === project.join('/').toLowerCase(),
  );
  if (!repository) return undefined;
  return { repository, kind: 'gitlab', ref, file };
}

/** `<clearml base>/v1/local-git/<host>/<owner>/<repo>/<sha>/tenants/<tenant>/catalog-info.yaml`. */
function localAnchor(
  target: string,
  sources: TenantAnchorSources,
): (Omit<TenantAnchor, 'tenant'> & { file: string[] }) | undefined {
  for (const base of sources.clearmlBaseUrls) {
    const prefix = `${base.replace(/\/+$/, '')}${LOCAL_GIT_ROUTE}/`;
    if (!target.startsWith(prefix)) continue;
    const rest = target.slice(prefix.length);
    if (/[?#]/.test(rest)) return undefined;
    const segments = decodeSegments(`/${rest}`);
    if (!segments || segments.length !== 7) return undefined;
    const [host, owner, repo, ref, ...file] = segments;
    if (!sources.localHosts.includes(host) || !isCommitSha(ref))
      return undefined;
    return { repository: { host, owner, repo }, kind: 'local', ref, file };
  }
  return undefined;
}

/**
 * The tenant the entity is, or the reason it is not one (a sentence that starts lower-case).
 *
 * @public
 */
export function tenantAnchorOf(
  entity: TenantEntityLike,
  sources: TenantAnchorSources,
): { anchor: TenantAnchor } | { problem: string } {
  const name = entity.metadata?.name;
  if (entity.kind?.toLowerCase() !== 'resource')
    return { problem: `it is a ${entity.kind}, not a Resource` };
  if (entity.spec?.type !== CLEARML_TENANT_RESOURCE_TYPE)
    return {
      problem: `its spec.type is ${JSON.stringify(entity.spec?.type)}, not ${CLEARML_TENANT_RESOURCE_TYPE}`,
    };
  const namespace = entity.metadata?.namespace ?? TENANT_ENTITY_NAMESPACE;
  if (namespace !== TENANT_ENTITY_NAMESPACE)
    return {
      problem: `it is in catalog namespace '${namespace}'; tenants are in '${TENANT_ENTITY_NAMESPACE}'`,
    };
  if (!isTenantName(name))
    return { problem: `its name '${name}' is not a tenant name` };
  const location =
    entity.metadata.annotations?.[MANAGED_BY_LOCATION_ANNOTATION] ?? '';
  const expected = `${tenantDirectory(name)}/${TENANT_CATALOG_FILE}`;
  const refusal = {
    problem:
      `it was not registered from its own file ${expected} in a configured GitOps repository ` +
      `(clearml.gitops.repositories, or a local git target); it comes from ${JSON.stringify(location || 'nowhere')}`,
  };
  if (!location.startsWith('url:')) return refusal;
  const target = location.slice('url:'.length);
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return refusal;
  }
  const found =
    localAnchor(target, sources) ??
    (url.pathname.includes('/-/')
      ? gitlabAnchor(url, sources)
      : githubAnchor(url, sources));
  if (!found || found.file.join('/') !== expected) return refusal;
  return {
    anchor: {
      tenant: name,
      repository: found.repository,
      kind: found.kind,
      ref: found.ref,
    },
  };
}

/**
 * The RepoUrlPicker form of a repository, `host?owner=o&repo=r`.
 *
 * @public
 */
export function repoPickerUrl(repository: GitopsRepository): string {
  return `${repository.host}?owner=${encodeURIComponent(repository.owner)}&repo=${encodeURIComponent(repository.repo)}`;
}
