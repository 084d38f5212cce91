/**
 * The pull-request stage of a tenant: the change request of the branch the
 * entity names (`clear.ml/gitops-repo`, `clear.ml/gitops-branch`), read by
 * the GitOps target of that repository (clearml-node's GitOps module: a
 * GitHub pull request, a GitLab merge request, or a local git target's branch
 * merged or not).
 */
import type { ScmIntegrationRegistry } from '@backstage/integration';
import {
  branchNameProblem,
  LifecycleStage,
  parseRepoPickerUrl,
} from '@clearml-openshift/plugin-clearml-common';
import {
  GithubClientFactory,
  GitlabClientFactory,
  gitopsTargetAt,
  LocalGitTarget,
  unknownPullRequest,
} from '@clearml-openshift/plugin-clearml-node';

export type {
  GithubClientFactory,
  GithubPullsClient,
} from '@clearml-openshift/plugin-clearml-node';

export interface PullRequestSource {
  repoUrl: string;
  branch: string;
}

export interface PullRequestReader {
  integrations: ScmIntegrationRegistry;
  localTargets: readonly LocalGitTarget[];
  github: GithubClientFactory;
  /** Reads merge requests of hosts in integrations.gitlab; without it they are `unknown`. */
  gitlab?: GitlabClientFactory;
}

/** The stage, never an exception: what cannot be read is `unknown` with the reason. */
export async function readPullRequestStage(
  source: PullRequestSource | undefined,
  reader: PullRequestReader,
): Promise<LifecycleStage> {
  if (!source) {
    return unknownPullRequest(
      'The entity names no GitOps repository and branch (clear.ml/gitops-repo, clear.ml/gitops-branch)',
    );
  }
  const parsed = parseRepoPickerUrl(source.repoUrl);
  if (!parsed) {
    return unknownPullRequest(
      `clear.ml/gitops-repo must be host?owner=…&repo=… (got ${JSON.stringify(source.repoUrl)})`,
    );
  }
  // The branch is read as refs/heads/<branch> only: a name that would leave refs/heads is never looked up.
  const branchProblem = branchNameProblem(source.branch);
  if (branchProblem) {
    return unknownPullRequest(
      `The branch ${branchProblem} (got ${JSON.stringify(source.branch)})`,
    );
  }
  try {
    const target = gitopsTargetAt(parsed, {
      integrations: reader.integrations,
      localTargets: reader.localTargets,
      githubReader: reader.github,
      gitlabClients: reader.gitlab,
    });
    return await target.readChangeRequest(source.branch);
  } catch (error) {
    return unknownPullRequest(
      `Could not read the pull request: ${(error as Error).message}`,
    );
  }
}
