/**
 * The local kind of GitOps target: a bare repository of a configured local
 * git target (`clearml.gitops.localTargets`). No pull request: the branch is
 * the change request, merged by hand into the target's default branch.
 */
import { InputError } from '@backstage/errors';
import {
  GitopsRepository,
  localGitFileUrl,
} from '@clearml-openshift/plugin-clearml-common';
import { localRemoteUrl } from '../change';
import {
  LocalGitTarget,
  localRepositoryPath,
  writableLocalRepository,
} from '../localTargets';
import { pullRequestStage, unknownPullRequest } from '../stage';
import type { GitopsTarget, GitopsTargetKind } from '../targets';
import { publishToLocalGit } from './publish';
import { localRepositoryReader } from './reader';
import {
  isLocalBranchMerged,
  isLocalRepository,
  localBranchHead,
} from './repository';

async function readBranchState(
  target: LocalGitTarget,
  { owner, repo }: GitopsRepository,
  branch: string,
) {
  const gitdir = localRepositoryPath(target, owner, repo);
  if (!isLocalRepository(gitdir))
    return unknownPullRequest(
      `The local repository ${owner}/${repo} does not exist`,
    );
  const head = await localBranchHead(gitdir, branch).catch(() => undefined);
  if (!head)
    return unknownPullRequest(
      `Branch ${branch} is not in the local repository ${owner}/${repo}`,
    );
  return (await isLocalBranchMerged(gitdir, head, target.defaultBranch))
    ? pullRequestStage(
        'done',
        `Branch ${branch} merged into ${target.defaultBranch}`,
      )
    : pullRequestStage(
        'active',
        `Branch ${branch} waiting for review (not merged into ${target.defaultBranch})`,
      );
}

/**
 * The GitOps target of a bare repository of a local git target.
 *
 * @public
 */
export function localGitopsTarget(
  target: LocalGitTarget,
  repository: GitopsRepository,
): GitopsTarget {
  const { owner, repo } = repository;
  return {
    kind: 'local',
    ...repository,
    defaultBranch: target.defaultBranch,
    preflight: () => {
      writableLocalRepository(target, owner, repo);
    },
    dryRun: branchName => ({
      remoteUrl: `${localRemoteUrl({ ...repository, branchName })}-dry-run`,
      note: ' (local git target: no pull request)',
    }),
    publish: async (change, log) => {
      if (
        change.labels.length ||
        change.reviewers.length ||
        change.teamReviewers.length ||
        change.draft
      ) {
        log(
          'Local git target: labels, reviewers and draft do not apply; the description is in the commit message',
        );
      }
      return publishToLocalGit(target, change, log);
    },
    // The catalog cannot read a bare repository on disk: it reads through the clearml backend's read-only route.
    fileUrl: async (ref, clearmlBaseUrl) =>
      clearmlBaseUrl
        ? localGitFileUrl(await clearmlBaseUrl(), { ...repository, ...ref })
        : undefined,
    readRepository: async () => localRepositoryReader(target, owner, repo),
    readChangeRequest: branch => readBranchState(target, repository, branch),
  };
}

/**
 * The local kind: the hosts of `clearml.gitops.localTargets`, which come before any integration.
 *
 * @public
 */
export const localTargetKind: GitopsTargetKind = {
  serves: (host, options) => options.localTargets.some(t => t.host === host),
  parse: (url, repoUrl) => {
    const owner = url.searchParams.get('owner');
    const repo = url.searchParams.get('repo');
    if (!owner || !repo) {
      throw new InputError(
        `repoUrl: owner and repo are required (got ${JSON.stringify(repoUrl)})`,
      );
    }
    return { host: url.host, owner, repo };
  },
  target: (repository, options) =>
    localGitopsTarget(
      options.localTargets.find(t => t.host === repository.host)!,
      repository,
    ),
};
