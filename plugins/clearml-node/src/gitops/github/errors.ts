/** GitHub's HTTP errors, as Octokit throws them, turned into messages a template user can act on. */
export interface HttpErrorLike {
  status: number;
  message: string;
  request?: { method?: string; url?: string };
  response?: { data?: { message?: string } };
}

export function isHttpError(error: unknown): error is HttpErrorLike {
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

export async function exists(
  request: () => Promise<unknown>,
): Promise<boolean> {
  try {
    await request();
    return true;
  } catch (error) {
    if (isHttpError(error) && error.status === 404) return false;
    throw error;
  }
}
