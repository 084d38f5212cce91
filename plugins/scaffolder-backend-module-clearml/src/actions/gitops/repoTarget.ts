/** Which repository `repoUrl` (`<host>?owner=<owner>&repo=<repo>`) names, and how to reach it. */
import { InputError } from '@backstage/errors';
import {
  GitLabIntegrationConfig,
  ScmIntegrationRegistry,
} from '@backstage/integration';
import { parseRepoUrl } from '@backstage/plugin-scaffolder-node';
import { parseRepoPickerUrl } from '@clearml-openshift/plugin-clearml-common';
import type { LocalGitTarget } from '@clearml-openshift/plugin-clearml-node';

export type RepoTarget =
  | { kind: 'github'; host: string; owner: string; repo: string }
  | {
      kind: 'gitlab';
      host: string;
      /** The project's group path (subgroups allowed). */
      owner: string;
      repo: string;
      integration: GitLabIntegrationConfig;
    }
  | {
      kind: 'local';
      host: string;
      owner: string;
      repo: string;
      target: LocalGitTarget;
    };

export function resolveRepoTarget(
  repoUrl: string,
  integrations: ScmIntegrationRegistry,
  localTargets: LocalGitTarget[],
): RepoTarget {
  let parsed: URL;
  try {
    parsed = new URL(`https://${repoUrl}`);
  } catch {
    throw new InputError(
      `repoUrl: must look like <host>?owner=<owner>&repo=<repo> (got ${JSON.stringify(repoUrl)})`,
    );
  }
  const local = localTargets.find(t => t.host === parsed.host);
  if (local) {
    const owner = parsed.searchParams.get('owner');
    const repo = parsed.searchParams.get('repo');
    if (!owner || !repo) {
      throw new InputError(
        `repoUrl: owner and repo are required (got ${JSON.stringify(repoUrl)})`,
      );
    }
    return { kind: 'local', host: parsed.host, owner, repo, target: local };
  }
  const integration = integrations.byHost(parsed.host);
  if (!integration) {
    throw new InputError(
      `repoUrl: host ${parsed.host} is neither a GitHub or GitLab integration (integrations.github[].host, integrations.gitlab[].host) nor a local git target (clearml.gitops.localTargets[].host)`,
    );
  }
  if (integration.type === 'gitlab') {
    const project = parseRepoPickerUrl(repoUrl);
    if (!project) {
      throw new InputError(
        `repoUrl: must be ${parsed.host}?owner=<group path>&repo=<project> (got ${JSON.stringify(repoUrl)})`,
      );
    }
    return {
      kind: 'gitlab',
      ...project,
      integration: integrations.gitlab.byHost(parsed.host)!.config,
    };
  }
  if (integration.type !== 'github') {
    throw new InputError(
      `repoUrl: host ${parsed.host} is a ${integration.type} integration; this action opens pull requests on GitHub and merge requests on GitLab only`,
    );
  }
  const { host, owner, repo } = parseRepoUrl(repoUrl, integrations);
  if (!owner)
    throw new InputError(
      `repoUrl: owner is required (got ${JSON.stringify(repoUrl)})`,
    );
  return { kind: 'github', host, owner, repo };
}
