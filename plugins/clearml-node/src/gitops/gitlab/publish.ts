/**
 * Puts the tenant's files on a branch of a GitLab project in one commit
 * (GitLab's commits API with file actions: a new branch is created by that
 * same commit, atomically, from the target branch) and opens or updates the
 * merge request, with the same reviewable description as a GitHub pull
 * request. A re-run resumes the branch and merge request an earlier run left;
 * nothing already there is overwritten without `update`.
 */
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  conflictIfPresent,
  GitopsChange,
  GitopsPublishResult,
  RepositoryFile,
} from '../change';
import { blobSha } from '../github/tree';
import { GitlabClient } from './gitlabClient';
import { explainGitlabError, gitlabErrorOf } from './gitlabErrors';
import { gitlabPreflight } from './preflight';

interface PresentFile {
  blobId: string;
  mode: string;
}

const sameFile = (present: PresentFile | undefined, file: RepositoryFile) =>
  present?.blobId === blobSha(file.content) && present.mode === file.mode;

/** Files below `dir` at `ref` (every page of the recursive tree); none when the directory does not exist. */
async function filesBelow(
  client: GitlabClient,
  projectPath: string,
  ref: string,
  dir: string,
): Promise<Map<string, PresentFile>> {
  try {
    const entries = await client.Repositories.allRepositoryTrees(projectPath, {
      ref,
      path: dir,
      recursive: true,
      perPage: 100,
    });
    return new Map(
      entries
        .filter(e => e.type !== 'tree')
        .map(e => [e.path, { blobId: e.id, mode: e.mode }]),
    );
  } catch (error) {
    if (gitlabErrorOf(error)?.status === 404) return new Map();
    throw error;
  }
}

/** The commit actions that make `dir` hold exactly `files`, given what is there. */
function actionsFor(
  files: RepositoryFile[],
  present: Map<string, PresentFile>,
): { actions: Array<Record<string, unknown>>; removed: string[] } {
  const wanted = new Set(files.map(f => f.path));
  const actions: Array<Record<string, unknown>> = files
    .filter(f => !sameFile(present.get(f.path), f))
    .map(f => ({
      action: present.has(f.path) ? 'update' : 'create',
      filePath: f.path,
      content: f.content.toString('base64'),
      encoding: 'base64',
      execute_filemode: f.mode === '100755',
    }));
  const removed = [...present.keys()].filter(p => !wanted.has(p)).sort();
  for (const path of removed)
    actions.push({ action: 'delete', filePath: path });
  return { actions, removed };
}

async function openMergeRequest(
  client: GitlabClient,
  projectPath: string,
  change: GitopsChange,
  base: string,
): Promise<Record<string, any> | undefined> {
  const open = await client.MergeRequests.all({
    projectId: projectPath,
    sourceBranch: change.branchName,
    targetBranch: base,
    state: 'opened',
  });
  return (open as Array<Record<string, any>>)[0];
}

/** GitLab reviewers are user ids: usernames the instance does not know are a warning, not a failed task. */
async function reviewerIds(
  client: GitlabClient,
  change: GitopsChange,
  log: (message: string) => void,
): Promise<number[]> {
  if (change.teamReviewers.length) {
    log(
      `GitLab has no team reviewers: teamReviewers (${change.teamReviewers.join(', ')}) are not asked; ` +
        "use the project's approval rules or CODEOWNERS",
    );
  }
  const ids: number[] = [];
  for (const username of change.reviewers) {
    const [user] = (await client.Users.all({ username })) as Array<{
      id: number;
    }>;
    if (user) ids.push(user.id);
    else log(`Warning: reviewer ${username} is not a user of ${change.host}`);
  }
  return ids;
}

function mergeRequestTitle(change: GitopsChange): string {
  return change.draft ? `Draft: ${change.title}` : change.title;
}

async function createOrUpdateMergeRequest(
  client: GitlabClient,
  projectPath: string,
  change: GitopsChange,
  base: string,
  removed: string[],
  log: (message: string) => void,
): Promise<Record<string, any>> {
  const existing = await openMergeRequest(client, projectPath, change, base);
  const description = change.description(removed);
  if (existing) {
    if (!change.update) return existing;
    return (await client.MergeRequests.edit(projectPath, existing.iid, {
      title: mergeRequestTitle(change),
      description,
      addLabels: change.labels.join(','),
    })) as Record<string, any>;
  }
  const reviewers = await reviewerIds(client, change, log);
  return (await client.MergeRequests.create(
    projectPath,
    change.branchName,
    base,
    mergeRequestTitle(change),
    {
      description,
      ...(change.labels.length ? { labels: change.labels.join(',') } : {}),
      ...(reviewers.length ? { reviewerIds: reviewers } : {}),
    },
  )) as Record<string, any>;
}

async function commit(
  client: GitlabClient,
  projectPath: string,
  change: GitopsChange,
  actions: Array<Record<string, unknown>>,
  startBranch: string | undefined,
): Promise<string> {
  try {
    const created = await client.Commits.create(
      projectPath,
      change.branchName,
      change.commitMessage,
      actions as any,
      startBranch ? { startBranch } : {},
    );
    return String(created.id);
  } catch (error) {
    const failed = gitlabErrorOf(error);
    if (failed?.status === 400 && /already exists/.test(failed.message)) {
      throw new ConflictError(
        `branchName: branch ${change.branchName} was created in ${projectPath} by another run while this one prepared ` +
          "its commit; nothing was pushed by this run and the branch keeps the other run's content",
      );
    }
    if (failed?.status === 403 && /not allowed to push/.test(failed.message)) {
      throw new InputError(
        `branchName: GitLab does not let the token push to ${change.branchName} in ${projectPath} (a protected branch); nothing was pushed`,
      );
    }
    throw error;
  }
}

/**
 * Writes the change's branch into a GitLab project in one commit and opens, updates or resumes its merge request.
 *
 * @public
 */
export async function publishToGitlab(
  client: GitlabClient,
  change: GitopsChange,
  log: (message: string) => void,
): Promise<GitopsPublishResult> {
  const { host } = change;
  let step = `check ${change.owner}/${change.repo}`;
  try {
    const { projectPath, base, branchExists } = await gitlabPreflight(
      client,
      change,
    );
    const where = `${host}/${projectPath}`;

    step = `read ${change.targetPath}/ on ${base}`;
    const onBase = await filesBelow(
      client,
      projectPath,
      base,
      change.targetPath,
    );
    const onBranch = branchExists
      ? await filesBelow(
          client,
          projectPath,
          change.branchName,
          change.targetPath,
        )
      : undefined;
    if (onBranch && !change.update && onBase.size === 0) {
      // A retried task: the branch already holds exactly these files; its merge request is the result.
      const { actions } = actionsFor(change.files, onBranch);
      if (actions.length === 0) {
        step = `resume the merge request of ${change.branchName}`;
        const mr = await createOrUpdateMergeRequest(
          client,
          projectPath,
          change,
          base,
          [],
          log,
        );
        const head = await client.Branches.show(projectPath, change.branchName);
        log(
          `Branch ${change.branchName} already holds these files: merge request !${mr.iid} (${mr.web_url})`,
        );
        return {
          remoteUrl: mr.web_url,
          pullRequestNumber: mr.iid,
          targetBranchName: base,
          commitSha: String((head.commit as { id: string }).id),
          removedFiles: [],
        };
      }
    }
    conflictIfPresent(change, {
      branchExists,
      targetPathExists: onBase.size > 0,
      base,
      where,
    });

    // With update, files this render no longer produces leave the tenant's directory (and only it).
    const { removed } = actionsFor(change.files, onBase);
    const { actions } = actionsFor(change.files, onBranch ?? onBase);
    let commitSha: string;
    if (actions.length === 0) {
      if (!onBranch) {
        throw new ConflictError(
          `Nothing to change: ${change.targetPath}/ on ${base} of ${where} already holds exactly these files`,
        );
      }
      const head = await client.Branches.show(projectPath, change.branchName);
      commitSha = String((head.commit as { id: string }).id);
      log(`Branch ${change.branchName} already holds these files`);
    } else {
      step = `commit ${actions.length} changes to ${change.branchName}`;
      commitSha = await commit(
        client,
        projectPath,
        change,
        actions,
        onBranch ? undefined : base,
      );
    }

    step = `open the merge request from ${change.branchName} into ${base}`;
    const mr = await createOrUpdateMergeRequest(
      client,
      projectPath,
      change,
      base,
      removed,
      log,
    );
    log(`Merge request !${mr.iid}: ${mr.web_url}`);
    return {
      remoteUrl: mr.web_url,
      pullRequestNumber: mr.iid,
      targetBranchName: base,
      commitSha,
      removedFiles: removed,
    };
  } catch (error) {
    if (
      error instanceof ConflictError ||
      error instanceof NotFoundError ||
      error instanceof InputError
    )
      throw error;
    throw explainGitlabError(error, host, step);
  }
}
