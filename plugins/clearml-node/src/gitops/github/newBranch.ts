/**
 * The writes of a new tenant's pull request on GitHub: the branch created only
 * if absent, the pull request, its labels and reviewers.
 */
import { ConflictError } from '@backstage/errors';
import { GitopsChange, GitopsPublishResult } from '../change';
import { GitopsOctokitClient } from './client';
import { explainGithubError, isHttpError } from './errors';

/**
 * A new tenant's branch, created with compare-and-swap semantics: the commit is built on `base`, and the branch is
 * created only if it is still absent (GitHub answers 422 "Reference already exists" otherwise), so a concurrent run
 * that created it first keeps its content and this one fails with a conflict, having pushed nothing.
 */
export async function publishNewBranch(
  client: GitopsOctokitClient,
  change: GitopsChange,
  base: string,
  log: (message: string) => void,
): Promise<GitopsPublishResult> {
  const { owner, repo } = change;
  const {
    data: [baseCommit],
  } = await client.rest.repos.listCommits({
    owner,
    repo,
    sha: base,
    per_page: 1,
  });
  const entries = [];
  for (const file of change.files) {
    const blob = await client.rest.git.createBlob({
      owner,
      repo,
      content: file.content.toString('base64'),
      encoding: 'base64',
    });
    entries.push({
      path: file.path,
      mode: file.mode,
      type: 'blob' as const,
      sha: blob.data.sha,
    });
  }
  const tree = await client.rest.git.createTree({
    owner,
    repo,
    base_tree: baseCommit.commit.tree.sha,
    tree: entries,
  });
  const commit = await client.rest.git.createCommit({
    owner,
    repo,
    message: change.commitMessage,
    tree: tree.data.sha,
    parents: [baseCommit.sha],
  });
  try {
    await client.rest.git.createRef({
      owner,
      repo,
      ref: `refs/heads/${change.branchName}`,
      sha: commit.data.sha,
    });
  } catch (error) {
    if (
      isHttpError(error) &&
      error.status === 422 &&
      /already exists/i.test(error.response?.data?.message ?? error.message)
    ) {
      throw new ConflictError(
        `branchName: branch ${change.branchName} was created in ${owner}/${repo} by another run while this one prepared its commit; ` +
          "nothing was pushed by this run and the branch keeps the other run's content",
      );
    }
    throw error;
  }
  const pull = await createPullRequest(client, change, base);
  if (change.labels.length) {
    await client.rest.issues.addLabels({
      owner,
      repo,
      issue_number: pull.number,
      labels: change.labels,
    });
  }
  return announcePullRequest(client, change, pull, log, {
    targetBranchName: base,
    commitSha: commit.data.sha,
    removedFiles: [],
  });
}

/** Opens the pull request of a branch that holds exactly the change's files (nothing removed). */
export async function createPullRequest(
  client: GitopsOctokitClient,
  change: GitopsChange,
  base: string,
): Promise<{ number: number; html_url: string }> {
  const pull = await client.rest.pulls.create({
    owner: change.owner,
    repo: change.repo,
    title: change.title,
    body: change.description([]),
    head: change.branchName,
    base,
    draft: change.draft,
  });
  return pull.data;
}

/** A pull request that stands: logged, its reviewers asked, and the run's result. */
export async function announcePullRequest(
  client: GitopsOctokitClient,
  change: GitopsChange,
  pull: { number: number; html_url: string },
  log: (message: string) => void,
  result: {
    targetBranchName: string;
    commitSha?: string;
    removedFiles: string[];
  },
): Promise<GitopsPublishResult> {
  log(`Pull request #${pull.number}: ${pull.html_url}`);
  await requestReviews(client, change, pull.number, log);
  return {
    ...result,
    remoteUrl: pull.html_url,
    pullRequestNumber: pull.number,
  };
}

/** Reviewers are asked once the pull request stands; one who cannot be asked is a warning, not a failed task. */
export async function requestReviews(
  client: GitopsOctokitClient,
  change: GitopsChange,
  pullNumber: number,
  log: (message: string) => void,
): Promise<void> {
  if (!change.reviewers.length && !change.teamReviewers.length) return;
  try {
    await client.rest.pulls.requestReviewers({
      owner: change.owner,
      repo: change.repo,
      pull_number: pullNumber,
      reviewers: change.reviewers,
      team_reviewers: change.teamReviewers,
    });
  } catch (error) {
    log(
      `Warning: ${explainGithubError(error, change.host, `request reviews on #${pullNumber}`).message}`,
    );
  }
}
