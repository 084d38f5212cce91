/**
 * `GET /v1/local-git/:host/:owner/:repo/:commit/<path>/catalog-info.yaml`:
 * the catalog file of a tenant in a local git target (a bare repository on
 * this backend's disk), for `catalog:register` to read before the pull
 * request is merged. The catalog's URL reader sends no Backstage token, so the
 * route is unauthenticated; it is read-only, serves only files named
 * `catalog-info.yaml`, only at a full commit SHA, and only from configured
 * local targets. Allow it in `backend.reading.allow`.
 */
import express from 'express';
import Router from 'express-promise-router';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  isCommitSha,
  LOCAL_GIT_ROUTE,
  TENANT_CATALOG_FILE,
} from '@clearml-openshift/plugin-clearml-common';
import {
  LocalGitTarget,
  readLocalGitFile,
} from '@clearml-openshift/plugin-clearml-node';

export function createLocalGitRouter(options: {
  targets: readonly LocalGitTarget[];
}): express.Router {
  const router = Router();
  router.get(
    `${LOCAL_GIT_ROUTE}/:host/:owner/:repo/:commit/*`,
    async (req, res) => {
      const { host, owner, repo, commit } = req.params;
      const path = (req.params as Record<string, string>)[0];
      const target = options.targets.find(t => t.host === host);
      if (!target)
        throw new NotFoundError(
          `${host} is not a local git target (clearml.gitops.localTargets)`,
        );
      if (!isCommitSha(commit))
        throw new InputError(
          `commit: must be a full 40-character commit SHA (got ${JSON.stringify(commit)})`,
        );
      const segments = path.split('/');
      if (
        segments.at(-1) !== TENANT_CATALOG_FILE ||
        segments.some(s => s === '' || s === '.' || s === '..')
      ) {
        throw new NotFoundError(
          `Only ${TENANT_CATALOG_FILE} files are served (got ${JSON.stringify(path)})`,
        );
      }
      const content = await readLocalGitFile(target, {
        owner,
        repo,
        commit,
        path,
      });
      if (!content)
        throw new NotFoundError(
          `No ${path} at ${commit} in ${host}/${owner}/${repo}`,
        );
      res.type('application/yaml').send(content);
    },
  );
  return router;
}
