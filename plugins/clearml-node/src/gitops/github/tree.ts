/** What a GitHub repository holds below a tenant's directory, read with as few requests as the tree allows. */
import { createHash } from 'crypto';
import { NotFoundError } from '@backstage/errors';
import { GitopsOctokitClient } from './client';
import { isHttpError } from './errors';

/** Git's blob id of a file's bytes. */
export function blobSha(content: Buffer): string {
  return createHash('sha1')
    .update(`blob ${content.length}\0`)
    .update(content)
    .digest('hex');
}

/** Files already below `targetPath` on `base`: one recursive tree read. */
export async function existingFiles(
  client: GitopsOctokitClient,
  owner: string,
  repo: string,
  base: string,
  targetPath: string,
): Promise<string[]> {
  const tree = await client.rest.git
    .getTree({ owner, repo, tree_sha: base, recursive: 'true' })
    .catch(error => {
      if (
        isHttpError(error) &&
        (error.status === 404 || error.status === 422)
      ) {
        throw new NotFoundError(
          `targetBranchName: branch ${base} does not exist in ${owner}/${repo}`,
        );
      }
      throw error;
    });
  if (tree.data.truncated)
    return listDirectory(client, owner, repo, base, targetPath);
  const prefix = `${targetPath}/`;
  return tree.data.tree
    .filter(entry => entry.type !== 'tree' && entry.path?.startsWith(prefix))
    .map(entry => entry.path!)
    .sort();
}

/** The contents API, directory by directory: for repositories whose recursive tree GitHub truncates. */
async function listDirectory(
  client: GitopsOctokitClient,
  owner: string,
  repo: string,
  ref: string,
  dir: string,
): Promise<string[]> {
  let entries: Array<{ type: string; path: string }>;
  try {
    const { data } = await client.rest.repos.getContent({
      owner,
      repo,
      path: dir,
      ref,
    });
    entries = Array.isArray(data) ? data : [data];
  } catch (error) {
    if (isHttpError(error) && error.status === 404) return [];
    throw error;
  }
  const files: string[] = [];
  for (const entry of entries) {
    if (entry.type === 'dir')
      files.push(
        ...(await listDirectory(client, owner, repo, ref, entry.path)),
      );
    else files.push(entry.path);
  }
  return files.sort();
}
