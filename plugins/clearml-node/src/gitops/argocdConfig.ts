/**
 * `clearml.gitops.argocd`: how the GitOps pull request tells Argo CD
 * (OpenShift GitOps) to deploy a tenant. `render: applications` (the default)
 * puts an Application per release in the tenant's directory; `render: plain`
 * leaves the Applications to the platform team's own ApplicationSet
 * (docs/argocd.md).
 */
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  DEFAULT_ARGOCD_NAMESPACE,
  DEFAULT_ARGOCD_PROJECT,
  parseRepoPickerUrl,
} from '@clearml-openshift/plugin-clearml-common';

/** @public */
export const ARGOCD_RENDER_MODES = ['applications', 'plain'] as const;
/** @public */
export type ArgocdRenderMode = (typeof ARGOCD_RENDER_MODES)[number];

/**
 * Where an Application deploys to: an Argo CD cluster by API server URL or by its name in Argo CD.
 *
 * @public
 */
export type ArgocdDestination = { server: string } | { name: string };

/**
 * Argo CD's own cluster (where OpenShift GitOps runs), the destination unless one is configured.
 *
 * @public
 */
export const IN_CLUSTER_DESTINATION: ArgocdDestination = {
  server: 'https://kubernetes.default.svc',
};

/** @public */
export interface ArgocdSettings {
  render: ArgocdRenderMode;
  /** Namespace of the Argo CD instance the Applications live in. */
  namespace: string;
  project: string;
  /** The GitOps repository as Argo CD clones it; undefined: derived from the pull request's repository. */
  repoURL?: string;
  /** Branch (or tag, commit) of the GitOps repository the Applications follow. */
  targetRevision: string;
  /** Sync automatically, prune and self-heal (default true). */
  automatedSync: boolean;
  /** Per Backstage cluster name, the Argo CD destination. */
  destinations: Record<string, ArgocdDestination>;
}

/** @public */
export const DEFAULT_TARGET_REVISION = 'HEAD';

function readDestination(
  entry: Config,
  key: string,
): [string, ArgocdDestination] {
  const cluster = entry.getString('cluster');
  const server = entry.getOptionalString('server');
  const name = entry.getOptionalString('name');
  if ((server === undefined) === (name === undefined)) {
    throw new Error(
      `Invalid config at ${key}: give exactly one of server (an API server URL) and name (a cluster name in Argo CD)`,
    );
  }
  return [cluster, server !== undefined ? { server } : { name: name! }];
}

/**
 * Reads `clearml.gitops.argocd`; an error names the config key that is wrong.
 *
 * @public
 */
export function readArgocdSettings(config: Config): ArgocdSettings {
  const argocd = config.getOptionalConfig('clearml.gitops.argocd');
  const render = argocd?.getOptionalString('render') ?? 'applications';
  if (!(ARGOCD_RENDER_MODES as readonly string[]).includes(render)) {
    throw new Error(
      `Invalid config at clearml.gitops.argocd.render: '${render}' is not one of ${ARGOCD_RENDER_MODES.join(', ')}`,
    );
  }
  const destinations = Object.fromEntries(
    (argocd?.getOptionalConfigArray('destinations') ?? []).map((entry, i) =>
      readDestination(entry, `clearml.gitops.argocd.destinations[${i}]`),
    ),
  );
  return {
    render: render as ArgocdRenderMode,
    namespace:
      argocd?.getOptionalString('namespace') ?? DEFAULT_ARGOCD_NAMESPACE,
    project: argocd?.getOptionalString('project') ?? DEFAULT_ARGOCD_PROJECT,
    repoURL: argocd?.getOptionalString('repoURL'),
    targetRevision:
      argocd?.getOptionalString('targetRevision') ?? DEFAULT_TARGET_REVISION,
    automatedSync: argocd?.getOptionalBoolean('automatedSync') ?? true,
    destinations,
  };
}

/**
 * The destination of a tenant on a Backstage cluster.
 *
 * @public
 */
export function argocdDestination(
  settings: ArgocdSettings,
  cluster: string,
): ArgocdDestination {
  return settings.destinations[cluster] ?? IN_CLUSTER_DESTINATION;
}

/**
 * `github.com?owner=o&repo=r` (RepoUrlPicker) → `https://github.com/o/r.git`, as Argo CD clones it; a GitLab
 * project of a subgroup (`owner=platform/infra`) → `https://<host>/platform/infra/r.git`. An InputError naming
 * `repoUrl` otherwise.
 *
 * @public
 */
export function gitopsCloneUrl(repoUrl: unknown): string {
  const problem =
    'repoUrl: must be the RepoUrlPicker form <host>?owner=<owner>&repo=<repo>, or configure clearml.gitops.argocd.repoURL';
  if (typeof repoUrl !== 'string' || !repoUrl.trim())
    throw new InputError(problem);
  const parsed = parseRepoPickerUrl(repoUrl.trim());
  if (!parsed)
    throw new InputError(`${problem} (got ${JSON.stringify(repoUrl)})`);
  return `https://${parsed.host}/${parsed.owner}/${parsed.repo}.git`;
}

/**
 * The repository the tenant's Applications name: clearml.gitops.argocd.repoURL, else the pull request's repository
 * as Argo CD clones it; with `render: plain` no Application names one (empty unless configured).
 *
 * @public
 */
export function argocdRepoURL(
  settings: ArgocdSettings,
  repoUrl: unknown,
): string {
  if (settings.render !== 'applications') return settings.repoURL ?? '';
  return settings.repoURL ?? gitopsCloneUrl(repoUrl);
}
