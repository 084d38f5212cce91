/** What a gitbeaker error says: GitLab's status and message, and the call that failed. */

/**
 * The status and GitLab's own message of a failed gitbeaker request; undefined for anything else (a network error).
 *
 * @public
 */
export function gitlabErrorOf(
  error: unknown,
): { status: number; message: string; call?: string } | undefined {
  const cause = (error as { cause?: any })?.cause;
  const status = cause?.response?.status;
  if (typeof status !== 'number') return undefined;
  const request = cause?.request as
    { method?: string; url?: string } | undefined;
  return {
    status,
    message: String(cause.description ?? (error as Error).message ?? ''),
    call:
      request?.method && request?.url
        ? `${request.method} ${new URL(request.url).pathname}`
        : undefined,
  };
}

/**
 * Turns a gitbeaker error into one a template user can act on.
 *
 * @public
 */
export function explainGitlabError(
  error: unknown,
  host: string,
  action: string,
): Error {
  const failed = gitlabErrorOf(error);
  if (!failed) {
    return new Error(
      `GitLab ${host}: ${action} failed: ${(error as Error)?.message ?? error}`,
    );
  }
  const call = failed.call ? ` (${failed.call})` : '';
  // GitLab's messages usually start with the status ("404 Project Not Found"): never say it twice.
  const detail = failed.message.startsWith(String(failed.status))
    ? failed.message
    : `${failed.status} ${failed.message}`;
  if (failed.status === 401) {
    return new Error(
      `GitLab ${host} refused the token (${detail}) while trying to ${action}: check integrations.gitlab[].token ` +
        `for ${host} (or the token input): it may be wrong, expired or revoked`,
    );
  }
  if (failed.status === 403 && failed.message === 'insufficient_scope') {
    return new Error(
      `GitLab ${host}: the token lacks the scope to ${action} (403 insufficient_scope): the GitOps action needs a token with the api scope`,
    );
  }
  if (failed.status >= 500) {
    return new Error(
      `GitLab ${host} failed with ${detail}${call} while trying to ${action}. ` +
        'The GitOps repository is unchanged unless the branch already moved; run the task again.',
    );
  }
  return new Error(
    `GitLab ${host} answered ${detail}${call} while trying to ${action}`,
  );
}
