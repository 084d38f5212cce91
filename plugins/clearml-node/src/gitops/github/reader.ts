/** A GitHub repository as day-2 actions read it: an open pull request from the branch is an open change. */
import type { GitopsRepositoryReader } from '../reader';
import type { GitopsOctokitClient } from './client';

/**
 * A GitHub repository's default branch, its files below a directory and the open pull request of a branch.
 *
 * @public
 */
export async function githubRepositoryReader(
  client: GitopsOctokitClient,
  owner: string,
  repo: string,
): Promise<GitopsRepositoryReader> {
  const { data } = await client.rest.repos.get({ owner, repo });
  const defaultBranch = data.default_branch;
  return {
    defaultBranch,
    async filesIn(dir, ref) {
      const files = new Map<string, Buffer>();
      // Another branch by its head commit (a branch name with '/' is not a tree-ish in the URL).
      let treeSha = defaultBranch;
      if (ref !== undefined) {
        const head = await client.rest.git
          .getRef({ owner, repo, ref: `heads/${ref}` })
          .catch(error => {
            if (error?.status === 404) return undefined;
            throw error;
          });
        if (!head) return files;
        treeSha = head.data.object.sha;
      }
      const tree = await client.rest.git.getTree({
        owner,
        repo,
        tree_sha: treeSha,
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
