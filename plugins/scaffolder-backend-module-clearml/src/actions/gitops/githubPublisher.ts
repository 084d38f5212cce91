/**
 * Puts the tenant's files on a branch of a GitHub repository and opens (or
 * updates) the pull request, refusing to overwrite what is already there.
 */
import { ConflictError, NotFoundError } from '@backstage/errors';
import { createHash } from 'crypto';
import { DELETE_FILE } from 'octokit-plugin-create-pull-request';
import { GitopsOctokitClient } from './githubClient';
import {
  GitopsChange,
  GitopsPublishResult,
  conflictIfPresent,
} from './publishing';

interface HttpErrorLike {
  status: number;
  message: string;
  request?: { method?: string; url?: string };
  response?: { data?: { message?: string } };
}

function isHttpError(error: unknown): error is HttpErrorLike {
  return typeof (error as HttpErrorLike)?.status === 'number';
}

/** Turns an Octokit error into one a template user can act on. */
export function explainGithubError(
  error: unknown,
  host: string,
  action: string,
): Error {
  if (!isHttpError(error)) {
    return new Error(
      `GitHub ${host}: ${action} failed: ${(error as Error)?.message ?? error}`,
    );
  }
  const detail = error.response?.data?.message ?? error.message;
  const call =
    error.request?.method && error.request?.url
      ? ` (${error.request.method} ${error.request.url})`
      : '';
  if (error.status === 401) {
    return new Error(
      `GitHub ${host} refused the credentials (401 ${detail}) while trying to ${action}: check the token or GitHub App ` +
        `configured for ${host} under integrations.github, or the token input`,
    );
  }
  if (error.status >= 500) {
    return new Error(
      `GitHub ${host} failed with ${error.status} ${detail}${call} while trying to ${action}, after retries. ` +
        'The GitOps repository is unchanged unless the branch already moved; run the task again.',
    );
  }
  return new Error(
    `GitHub ${host} answered ${error.status} ${detail}${call} while trying to ${action}`,
  );
}

async function exists(request: () => Promise<unknown>): Promise<boolean> {
  try {
    await request();
    return true;
  } catch (error) {
    if (isHttpError(error) && error.status === 404) return false;
    throw error;
  }
}

/** Git's blob id of a file's bytes. */
function blobSha(content: Buffer): string {
  return createHash('sha1')
    .update(`blob ${content.length}\0`)
    .update(content)
    .digest('hex');
}

/**
 * A retried task: when the work branch already holds exactly the change's files
 * (an earlier attempt pushed them), its open pull request is the result, opened
 * now if the earlier attempt stopped before that. Otherwise undefined.
 */
async function resumePullRequest(
  client: GitopsOctokitClient,
  change: GitopsChange,
  base: string,
): Promise<GitopsPublishResult | undefined> {
  const { owner, repo } = change;
  const head = await client.rest.git.getRef({
    owner,
    repo,
    ref: `heads/${change.branchName}`,
  });
  const tree = await client.rest.git.getTree({
    owner,
    repo,
    tree_sha: head.data.object.sha,
    recursive: 'true',
  });
  const prefix = `${change.targetPath}/`;
  const present = new Map(
    tree.data.tree
      .filter(e => e.type === 'blob' && e.path?.startsWith(prefix))
      .map(e => [e.path!, { sha: e.sha, mode: e.mode }]),
  );
  if (tree.data.truncated || present.size !== change.files.length)
    return undefined;
  if (
    !change.files.every(
      f =>
        present.get(f.path)?.sha === blobSha(f.content) &&
        present.get(f.path)?.mode === f.mode,
    )
  ) {
    return undefined;
  }
  const open = await client.rest.pulls.list({
    owner,
    repo,
    head: `${owner}:${change.branchName}`,
    state: 'open',
  });
  const pull =
    open.data[0] ??
    (
      await client.rest.pulls.create({
        owner,
        repo,
        title: change.title,
        body: change.description([]),
        head: change.branchName,
        base,
        draft: change.draft,
      })
    ).data;
  return {
    remoteUrl: pull.html_url,
    pullRequestNumber: pull.number,
    targetBranchName: base,
    commitSha: head.data.object.sha,
    removedFiles: [],
  };
}

export async function publishToGithub(
  client: GitopsOctokitClient,
  change: GitopsChange,
  log: (message: string) => void,
): Promise<GitopsPublishResult> {
  const { owner, repo, host } = change;
  let step = `read ${owner}/${repo}`;
  try {
    const repository = await client.rest.repos
      .get({ owner, repo })
      .catch(error => {
        if (isHttpError(error) && error.status === 404) {
          throw new NotFoundError(
            `repoUrl: repository ${owner}/${repo} does not exist on ${host} or the credentials cannot see it`,
          );
        }
        throw error;
      });
    const base = change.targetBranchName ?? repository.data.default_branch;

    step = `check branch ${change.branchName} and ${change.targetPath}/ on ${base}`;
    const branchExists = await exists(() =>
      client.rest.git.getRef({
        owner,
        repo,
        ref: `heads/${change.branchName}`,
      }),
    );
    const existing = await existingFiles(
      client,
      owner,
      repo,
      base,
      change.targetPath,
    );
    if (branchExists && !change.update && existing.length === 0) {
      step = `resume branch ${change.branchName}`;
      const resumed = await resumePullRequest(client, change, base);
      if (resumed) {
        log(
          `Branch ${change.branchName} already holds these files: pull request #${resumed.pullRequestNumber} (${resumed.remoteUrl})`,
        );
        return resumed;
      }
    }
    conflictIfPresent(change, {
      branchExists,
      targetPathExists: existing.length > 0,
      base,
      where: `${owner}/${repo}`,
    });

    // With update, files this render no longer produces leave the tenant's directory (and only it).
    const wanted = new Set(change.files.map(f => f.path));
    const removed = existing.filter(path => !wanted.has(path));
    const files: Record<string, unknown> = {};
    for (const file of change.files) {
      files[file.path] = {
        content: file.content.toString('base64'),
        encoding: 'base64',
        mode: file.mode,
      };
    }
    for (const path of removed) files[path] = DELETE_FILE;

    if (!change.update) {
      step = `create branch ${change.branchName} and open the pull request`;
      return await publishNewBranch(client, change, base, log);
    }

    step = `push branch ${change.branchName} and open the pull request`;
    const pull = await client.createPullRequest({
      owner,
      repo,
      title: change.title,
      body: change.description(removed),
      head: change.branchName,
      base,
      draft: change.draft,
      labels: change.labels,
      update: change.update,
      createWhenEmpty: false,
      changes: [
        {
          files: files as any,
          commit: change.commitMessage,
          emptyCommit: false,
        },
      ],
    });
    if (!pull) {
      throw new ConflictError(
        `Nothing to change: ${change.targetPath}/ on ${base} of ${owner}/${repo} already holds exactly these files`,
      );
    }
    log(`Pull request #${pull.data.number}: ${pull.data.html_url}`);
    await requestReviews(client, change, pull.data.number, log);
    return {
      remoteUrl: pull.data.html_url,
      pullRequestNumber: pull.data.number,
      targetBranchName: base,
      commitSha: pull.data.head?.sha ?? undefined,
      removedFiles: removed,
    };
  } catch (error) {
    if (error instanceof ConflictError || error instanceof NotFoundError)
      throw error;
    if ((error as Error)?.name === 'InputError') throw error;
    throw explainGithubError(error, host, step);
  }
}

/**
 * A new tenant's branch, created with compare-and-swap semantics: the commit is built on `base`, and the branch is
 * created only if it is still absent (GitHub answers 422 "Reference already exists" otherwise), so a concurrent run
 * that created it first keeps its content and this one fails with a conflict, having pushed nothing.
 */
async function publishNewBranch(
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
  const pull = await client.rest.pulls.create({
    owner,
    repo,
    title: change.title,
    body: change.description([]),
    head: change.branchName,
    base,
    draft: change.draft,
  });
  if (change.labels.length) {
    await client.rest.issues.addLabels({
      owner,
      repo,
      issue_number: pull.data.number,
      labels: change.labels,
    });
  }
  log(`Pull request #${pull.data.number}: ${pull.data.html_url}`);
  await requestReviews(client, change, pull.data.number, log);
  return {
    remoteUrl: pull.data.html_url,
    pullRequestNumber: pull.data.number,
    targetBranchName: base,
    commitSha: commit.data.sha,
    removedFiles: [],
  };
}

/** Reviewers are asked once the pull request stands; one who cannot be asked is a warning, not a failed task. */
async function requestReviews(
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

/** Files already below `targetPath` on `base`: one recursive tree read. */
async function existingFiles(
  client: GitopsOctokitClient,
  owner: string,
  repo: string,
  base: string,
  targetPath: string,
): Promise<string[]> {
  const tree = await client.rest.git
    .getTree({ owner, repo, tree_sha: base, recursive: 'true' })
    .catch(error => {
      if (
        isHttpError(error) &&
        (error.status === 404 || error.status === 422)
      ) {
        throw new NotFoundError(
          `targetBranchName: branch ${base} does not exist in ${owner}/${repo}`,
        );
      }
      throw error;
    });
  if (tree.data.truncated)
    return listDirectory(client, owner, repo, base, targetPath);
  const prefix = `${targetPath}/`;
  return tree.data.tree
    .filter(entry => entry.type !== 'tree' && entry.path?.startsWith(prefix))
    .map(entry => entry.path!)
    .sort();
}

/** The contents API, directory by directory: for repositories whose recursive tree GitHub truncates. */
async function listDirectory(
  client: GitopsOctokitClient,
  owner: string,
  repo: string,
  ref: string,
  dir: string,
): Promise<string[]> {
  let entries: Array<{ type: string; path: string }>;
  try {
    const { data } = await client.rest.repos.getContent({
      owner,
      repo,
      path: dir,
      ref,
    });
    entries = Array.isArray(data) ? data : [data];
  } catch (error) {
    if (isHttpError(error) && error.status === 404) return [];
    throw error;
  }
  const files: string[] = [];
  for (const entry of entries) {
    if (entry.type === 'dir')
      files.push(
        ...(await listDirectory(client, owner, repo, ref, entry.path)),
      );
    else files.push(entry.path);
  }
  return files.sort();
}
