/**
 * GitLab REST v4's error bodies, as its API helpers (`not_found!`, `forbidden!`,
 * `render_api_error!`, `conflict!`) and its OAuth scope check write them.
 */

export class GitlabHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(JSON.stringify(body));
  }
}

/** `404 Project Not Found`, `404 Branch Not Found`, `404 File Not Found`, ... (`not_found!(resource)`). */
export const notFound = (resource?: string) =>
  new GitlabHttpError(404, {
    message: resource ? `404 ${resource} Not Found` : '404 Not found',
  });

/** A missing, unknown, expired or revoked token. */
export const unauthorized = () =>
  new GitlabHttpError(401, { message: '401 Unauthorized' });

/** `forbidden!(reason)`. */
export const forbidden = (reason?: string) =>
  new GitlabHttpError(403, {
    message: reason ? `403 Forbidden - ${reason}` : '403 Forbidden',
  });

/** A token without a scope the endpoint needs (the OAuth error body, not `message`). */
export const insufficientScope = (scopes: string[]) =>
  new GitlabHttpError(403, {
    error: 'insufficient_scope',
    error_description:
      'The request requires higher privileges than provided by the access token.',
    scope: scopes.join(' '),
  });

/** `render_api_error!(message, 400)`: a service refused the change. */
export const badRequest = (message: string | string[] | object) =>
  new GitlabHttpError(400, { message });

/** Grape's parameter validation: `{"error":"<param> is missing"}`. */
export const missingParameter = (name: string) =>
  new GitlabHttpError(400, { error: `${name} is missing` });

/** `conflict!`: e.g. a second open merge request from the same source branch. */
export const conflict = (message: string[]) =>
  new GitlabHttpError(409, { message });
