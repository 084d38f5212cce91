/**
 * What a day-2 task reads of the GitOps repository before it writes: the tenant's files on the target branch
 * (its current settings), and whether a change of the tenant is still open (a pull request from its branch on
 * GitHub; for a local git target, a branch not merged into the default branch).
 */
import fs from 'fs';
import git from 'isomorphic-git';
import {
  LocalGitTarget,
  localRepositoryPath,
} from '@clearml-openshift/plugin-clearml-node';
import { GitopsOctokitClient } from '../gitops/githubClient';
import { RepoTarget } from '../gitops/repoTarget';

export interface TenantRepository {
  /** The branch pull requests merge into. */
  defaultBranch: string;
  /** Every file below `dir` on the default branch, by repository path. */
  filesIn(dir: string): Promise<Map<string, Buffer>>;
  /** A sentence naming the open change from `branch`, or undefined when none is open. */
  openChange(branch: string): Promise<string | undefined>;
}

async function resolve(
  gitdir: string,
  ref: string,
): Promise<string | undefined> {
  try {
    return await git.resolveRef({ fs, gitdir, ref });
  } catch {
    return undefined;
  }
}

function localRepository(
  target: LocalGitTarget,
  owner: string,
  repo: string,
): TenantRepository {
  const gitdir = localRepositoryPath(target, owner, repo);
  const where = `${target.host}/${owner}/${repo}`;
  return {
    defaultBranch: target.defaultBranch,
    async filesIn(dir) {
      const files = new Map<string, Buffer>();
      const head = await resolve(gitdir, `refs/heads/${target.defaultBranch}`);
      if (!head) return files;
      const walk = async (oid: string, prefix: string): Promise<void> => {
        const { tree } = await git.readTree({ fs, gitdir, oid });
        for (const entry of tree) {
          const p = prefix ? `${prefix}/${entry.path}` : entry.path;
          if (entry.type === 'tree') {
            if (`${dir}/`.startsWith(`${p}/`) || p.startsWith(`${dir}/`))
              await walk(entry.oid, p);
          } else if (entry.type === 'blob' && p.startsWith(`${dir}/`)) {
            const { blob } = await git.readBlob({ fs, gitdir, oid: entry.oid });
            files.set(p, Buffer.from(blob));
          }
        }
      };
      const { commit } = await git.readCommit({ fs, gitdir, oid: head });
      await walk(commit.tree, '');
      return files;
    },
    async openChange(branch) {
      const head = await resolve(gitdir, `refs/heads/${branch}`);
      if (!head) return undefined;
      const base = await resolve(gitdir, `refs/heads/${target.defaultBranch}`);
      const merged =
        !!base &&
        (base === head ||
          (await git.isDescendent({
            fs,
            gitdir,
            oid: base,
            ancestor: head,
            depth: -1,
          })));
      return merged
        ? undefined
        : `branch ${branch} of ${where} is not merged into ${target.defaultBranch}`;
    },
  };
}

async function githubRepository(
  client: GitopsOctokitClient,
  owner: string,
  repo: string,
): Promise<TenantRepository> {
  const { data } = await client.rest.repos.get({ owner, repo });
  const defaultBranch = data.default_branch;
  return {
    defaultBranch,
    async filesIn(dir) {
      const files = new Map<string, Buffer>();
      const tree = await client.rest.git.getTree({
        owner,
        repo,
        tree_sha: defaultBranch,
        recursive: 'true',
      });
      for (const entry of tree.data.tree) {
        if (entry.type !== 'blob' || !entry.path?.startsWith(`${dir}/`))
          continue;
        const blob = await client.rest.git.getBlob({
          owner,
          repo,
          file_sha: entry.sha!,
        });
        files.set(
          entry.path,
          Buffer.from(blob.data.content, blob.data.encoding as BufferEncoding),
        );
      }
      return files;
    },
    async openChange(branch) {
      const { data: pulls } = await client.rest.pulls.list({
        owner,
        repo,
        head: `${owner}:${branch}`,
        state: 'open',
        per_page: 10,
      });
      const pull = pulls[0];
      return pull
        ? `pull request #${pull.number} (${pull.html_url}) from ${branch} is open`
        : undefined;
    },
  };
}

export async function tenantRepository(
  target: RepoTarget,
  githubClient: () => Promise<GitopsOctokitClient>,
): Promise<TenantRepository> {
  return target.kind === 'local'
    ? localRepository(target.target, target.owner, target.repo)
    : githubRepository(await githubClient(), target.owner, target.repo);
}
