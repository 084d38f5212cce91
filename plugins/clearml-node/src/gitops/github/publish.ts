/**
 * Puts the tenant's files on a branch of a GitHub repository and opens (or
 * updates) the pull request, refusing to overwrite what is already there.
 */
import { ConflictError, NotFoundError } from '@backstage/errors';
import { DELETE_FILE } from 'octokit-plugin-create-pull-request';
import {
  conflictIfPresent,
  GitopsChange,
  GitopsPublishResult,
} from '../change';
import { GitopsOctokitClient } from './client';
import { exists, explainGithubError, isHttpError } from './errors';
import {
  announcePullRequest,
  createPullRequest,
  publishNewBranch,
} from './newBranch';
import { blobSha, existingFiles } from './tree';

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
  const pull = open.data[0] ?? (await createPullRequest(client, change, base));
  return {
    remoteUrl: pull.html_url,
    pullRequestNumber: pull.number,
    targetBranchName: base,
    commitSha: head.data.object.sha,
    removedFiles: [],
  };
}

/**
 * Writes the change's branch into a GitHub repository and opens, updates or resumes its pull request.
 *
 * @public
 */
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
    return await announcePullRequest(client, change, pull.data, log, {
      targetBranchName: base,
      commitSha: pull.data.head?.sha ?? undefined,
      removedFiles: removed,
    });
  } catch (error) {
    if (error instanceof ConflictError || error instanceof NotFoundError)
      throw error;
    if ((error as Error)?.name === 'InputError') throw error;
    throw explainGithubError(error, host, step);
  }
}
