/**
 * The pull requests of a branch, asked conditionally: the last answer's ETag goes back as `If-None-Match`, and
 * GitHub answers 304 when nothing changed. A 304 to an authorized request does not count against the primary rate
 * limit (GitHub's REST docs, "Best practices for using the REST API": use conditional requests), so a fleet whose
 * pull requests do not move costs its checks no rate limit; any change (a new, merged or closed pull request) changes
 * the ETag and is read in full.
 */
import type { GithubPullsClient } from './client';

export type BranchPulls = Awaited<
  ReturnType<GithubPullsClient['rest']['pulls']['list']>
>['data'];

/** Answers kept per (API, repository, branch): a fleet's branches, bounded; the oldest go first. */
const MAX_ENTRIES = 20_000;
const answers = new Map<string, { etag: string; pulls: BranchPulls }>();

function remember(key: string, etag: string, pulls: BranchPulls) {
  answers.delete(key);
  answers.set(key, { etag, pulls });
  if (answers.size > MAX_ENTRIES)
    answers.delete(answers.keys().next().value as string);
}

/** The pull requests from `owner:branch` in owner/repo (GitHub's newest first order is not relied on). */
export async function listBranchPulls(
  client: GithubPullsClient,
  where: { baseUrl: string; owner: string; repo: string; branch: string },
): Promise<BranchPulls> {
  const { baseUrl, owner, repo, branch } = where;
  const key = `${baseUrl}\n${owner}/${repo}\n${branch}`;
  const known = answers.get(key);
  try {
    const response = await client.rest.pulls.list({
      owner,
      repo,
      head: `${owner}:${branch}`,
      state: 'all',
      per_page: 20,
      ...(known ? { headers: { 'if-none-match': known.etag } } : {}),
    });
    const etag = response.headers?.etag;
    if (typeof etag === 'string') remember(key, etag, response.data);
    else answers.delete(key);
    return response.data;
  } catch (error) {
    if ((error as { status?: number }).status === 304 && known) {
      remember(key, known.etag, known.pulls);
      return known.pulls;
    }
    throw error;
  }
}
