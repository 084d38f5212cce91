/**
 * GitOps targets: where a tenant's change goes, by the host of `repoUrl`
 * (`<host>?owner=<owner>&repo=<repo>`). Each kind of target (a local bare
 * repository, GitHub, GitLab) is one implementation of `GitopsTarget`; a new kind is
 * one more entry of `TARGET_KINDS`.
 */
import { InputError } from '@backstage/errors';
import type { ScmIntegrationRegistry } from '@backstage/integration';
import type {
  GitopsRepository,
  LifecycleStage,
} from '@clearml-openshift/plugin-clearml-common';
import type { GitopsChange, GitopsPublishResult } from './change';
import type { GithubClientFactory, GitopsOctokitClient } from './github/client';
import { githubTargetKind } from './github/target';
import type { GitlabClientFactory } from './gitlab/gitlabClient';
import { gitlabTargetKind } from './gitlab/target';
import type { LocalGitTarget } from './localTargets';
import type { GitopsRepositoryReader } from './reader';
import { localTargetKind } from './local/target';

/**
 * One GitOps repository of one kind, and everything the pull-request action and the health backend do with it.
 *
 * @public
 */
export interface GitopsTarget {
  /** `local`, `github`, `gitlab`. */
  readonly kind: string;
  readonly host: string;
  readonly owner: string;
  readonly repo: string;
  /** The branch a change merges into when none is named, if known without a request (local targets). */
  readonly defaultBranch?: string;
  /** Checks before the first write (the repository may be written); throws an InputError naming the field. */
  preflight(): void;
  /** What a dry run outputs and says instead of writing. */
  dryRun(branchName: string): { remoteUrl: string; note: string };
  /**
   * Puts exactly the change's files on its branch and opens, updates or resumes the change request (the pull
   * request; for a local target, the branch a reviewer merges by hand).
   */
  publish(
    change: GitopsChange,
    log: (message: string) => void,
  ): Promise<GitopsPublishResult>;
  /** The URL `catalog:register` reads a file of a pushed commit from, if the catalog can read this target. */
  fileUrl(
    ref: { commit: string; path: string },
    clearmlBaseUrl?: () => Promise<string>,
  ): Promise<string | undefined>;
  /** What day-2 actions read (the default branch's files, an open change); absent where they cannot yet. */
  readRepository?(): Promise<GitopsRepositoryReader>;
  /** The change request of `branch` as the lifecycle's pull-request stage: what cannot be read is `unknown`. */
  readChangeRequest(branch: string): Promise<LifecycleStage>;
}

/**
 * What targets are resolved from: the integrations and local targets of config, and the clients they use.
 *
 * @public
 */
export interface GitopsTargetOptions {
  integrations: ScmIntegrationRegistry;
  localTargets: readonly LocalGitTarget[];
  /** The GitOps repositories tenants live in (`clearml.gitops.repositories`); empty: any repository. */
  repositories?: readonly GitopsRepository[];
  /** The client a GitHub target writes with (the pull-request action's). */
  githubWriter?: (repository: GitopsRepository) => Promise<GitopsOctokitClient>;
  /** The client a GitHub target reads its pull request with (the health backend's). */
  githubReader?: GithubClientFactory;
  /** The client a GitLab target writes (the action's) or reads its merge request with (the health backend's). */
  gitlabClients?: GitlabClientFactory;
  /** A token to write with instead of the integration's (the action's `token` input; GitLab). */
  token?: string;
}

/**
 * A kind of target (local, GitHub): which hosts it serves, how it reads `repoUrl`, and its targets.
 *
 * @public
 */
export interface GitopsTargetKind {
  /** Whether repositories on `host` are of this kind. */
  serves(host: string, options: GitopsTargetOptions): boolean;
  /** Reads `repoUrl`'s owner and repo for this kind, with InputErrors naming `repoUrl`. */
  parse(url: URL, repoUrl: string): GitopsRepository;
  /** The target of a repository on a host this kind serves. */
  target(
    repository: GitopsRepository,
    options: GitopsTargetOptions,
  ): GitopsTarget;
}

/** Local targets first: their hosts are config's, and need no integration. The last kind is the fallback. */
const TARGET_KINDS: GitopsTargetKind[] = [
  localTargetKind,
  gitlabTargetKind,
  githubTargetKind,
];

/**
 * The target `repoUrl` names, for a write: an InputError naming `repoUrl` when no kind serves its host, or when it is
 * not one of the repositories tenants live in.
 *
 * @public
 */
export function resolveGitopsTarget(
  repoUrl: string,
  options: GitopsTargetOptions,
): GitopsTarget {
  let parsed: URL;
  try {
    parsed = new URL(`https://${repoUrl}`);
  } catch {
    throw new InputError(
      `repoUrl: must look like <host>?owner=<owner>&repo=<repo> (got ${JSON.stringify(repoUrl)})`,
    );
  }
  const kind = TARGET_KINDS.find(k => k.serves(parsed.host, options));
  if (kind) {
    const target = kind.target(kind.parse(parsed, repoUrl), options);
    refuseUnlistedRepository(target, options.repositories ?? []);
    return target;
  }
  const integration = options.integrations.byHost(parsed.host);
  if (!integration) {
    throw new InputError(
      `repoUrl: host ${parsed.host} is neither a GitHub or GitLab integration (integrations.github[].host, integrations.gitlab[].host) nor a local git target (clearml.gitops.localTargets[].host)`,
    );
  }
  throw new InputError(
    `repoUrl: host ${parsed.host} is a ${integration.type} integration; this action opens pull requests on GitHub and merge requests on GitLab only`,
  );
}

/** Only a tenant file in a listed repository makes a tenant (tenantAnchorOf): refuse to create one elsewhere. */
function refuseUnlistedRepository(
  target: GitopsTarget,
  repositories: readonly GitopsRepository[],
): void {
  // Local targets are tenants' repositories by config (their hosts are anchor sources).
  if (target.kind === 'local' || !repositories.length) return;
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  if (
    repositories.some(
      r =>
        same(r.host, target.host) &&
        same(r.owner, target.owner) &&
        same(r.repo, target.repo),
    )
  )
    return;
  throw new InputError(
    `repoUrl: ${target.host}/${target.owner}/${target.repo} is not one of the GitOps repositories tenants live in ` +
      `(clearml.gitops.repositories: ${repositories.map(r => `${r.host}/${r.owner}/${r.repo}`).join(', ')}); ` +
      'a tenant registered from it would never be recognised',
  );
}

/**
 * The target of a repository an entity names, for a read: the first kind that serves its host, else the last kind
 * (whose reads then say what is not configured).
 *
 * @public
 */
export function gitopsTargetAt(
  repository: GitopsRepository,
  options: GitopsTargetOptions,
): GitopsTarget {
  const kind =
    TARGET_KINDS.find(k => k.serves(repository.host, options)) ??
    TARGET_KINDS[TARGET_KINDS.length - 1];
  return kind.target(repository, options);
}
