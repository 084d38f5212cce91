/**
 * The merge request a tenant's branch opened, as the card's lifecycle reads it:
 * the newest one from that source branch, in any state.
 */
import { GitlabClient, gitlabProjectPath } from './gitlabClient';

/**
 * GitLab's state of a merge request (`locked` is a short-lived state while it merges).
 *
 * @public
 */
export interface GitlabMergeRequestState {
  iid: number;
  state: 'opened' | 'closed' | 'merged' | 'locked';
  webUrl: string;
  draft: boolean;
  /** When it was merged (ISO 8601), for a merged one. */
  mergedAt?: string;
}

/**
 * The newest merge request from `sourceBranch` of `owner/repo`, or undefined when there is none.
 *
 * @public
 */
export async function newestMergeRequest(
  client: GitlabClient,
  owner: string,
  repo: string,
  sourceBranch: string,
): Promise<GitlabMergeRequestState | undefined> {
  const mrs = await client.MergeRequests.all({
    projectId: gitlabProjectPath(owner, repo),
    sourceBranch,
    orderBy: 'created_at',
    sort: 'desc',
    perPage: 20,
    maxPages: 1,
  });
  const newest = [...(mrs as Array<Record<string, any>>)].sort(
    (a, b) => b.iid - a.iid,
  )[0];
  if (!newest) return undefined;
  return {
    iid: newest.iid,
    state: newest.state,
    webUrl: newest.web_url,
    draft: Boolean(newest.draft),
    ...(newest.merged_at ? { mergedAt: String(newest.merged_at) } : {}),
  };
}
