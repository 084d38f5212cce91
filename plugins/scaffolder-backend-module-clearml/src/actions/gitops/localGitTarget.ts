/**
 * A GitOps repository that is a bare git repository on disk (the local
 * instance, or a plain git server's repositories mounted on the backend). The
 * branch and its commit are written straight into the bare repository with
 * isomorphic-git, which is what a push would leave there; there is no pull
 * request, so the description goes into the commit message and a reviewer
 * merges by hand.
 */
import { InputError } from '@backstage/errors';
import fs from 'fs';
import git from 'isomorphic-git';
import {
  GitopsChange,
  GitopsPublishResult,
  conflictIfPresent,
  localRemoteUrl,
} from './publishing';
import { compareAndSwapBranch } from './localRefs';

// The target's config and repository layout are shared with the clearml backend, which serves files from them.
import {
  ensureBareRepository,
  gitSignature,
  LocalGitTarget,
  localRepositoryPath,
} from '@clearml-openshift/plugin-clearml-node';

type FlatTree = Map<string, { mode: string; oid: string }>;

async function readFlatTree(
  gitdir: string,
  oid: string,
  prefix = '',
): Promise<FlatTree> {
  const files: FlatTree = new Map();
  const { tree } = await git.readTree({ fs, gitdir, oid });
  for (const entry of tree) {
    const entryPath = prefix ? `${prefix}/${entry.path}` : entry.path;
    if (entry.type === 'tree') {
      for (const [p, f] of await readFlatTree(gitdir, entry.oid, entryPath))
        files.set(p, f);
    } else {
      files.set(entryPath, { mode: entry.mode, oid: entry.oid });
    }
  }
  return files;
}

async function writeFlatTree(gitdir: string, files: FlatTree): Promise<string> {
  const children = new Map<string, FlatTree>();
  const entries: Array<{
    mode: string;
    path: string;
    oid: string;
    type: 'blob' | 'tree' | 'commit';
  }> = [];
  for (const [filePath, file] of files) {
    const slash = filePath.indexOf('/');
    if (slash === -1) {
      entries.push({
        mode: file.mode,
        path: filePath,
        oid: file.oid,
        type: file.mode === '160000' ? 'commit' : 'blob',
      });
      continue;
    }
    const dir = filePath.slice(0, slash);
    if (!children.has(dir)) children.set(dir, new Map());
    children.get(dir)!.set(filePath.slice(slash + 1), file);
  }
  for (const [dir, sub] of children) {
    entries.push({
      mode: '040000',
      path: dir,
      oid: await writeFlatTree(gitdir, sub),
      type: 'tree',
    });
  }
  return git.writeTree({ fs, gitdir, tree: entries });
}

async function resolveBranch(
  gitdir: string,
  branch: string,
): Promise<string | undefined> {
  try {
    return await git.resolveRef({ fs, gitdir, ref: `refs/heads/${branch}` });
  } catch (error) {
    if ((error as Error).name === 'NotFoundError') return undefined;
    throw error;
  }
}

/** Whether the commit's tenant directory holds exactly the change's files (same paths, bytes and modes). */
async function holdsExactly(
  gitdir: string,
  commitOid: string,
  change: GitopsChange,
): Promise<boolean> {
  const { commit } = await git.readCommit({ fs, gitdir, oid: commitOid });
  const tree = await readFlatTree(gitdir, commit.tree);
  const prefix = `${change.targetPath}/`;
  const present = [...tree.keys()].filter(p => p.startsWith(prefix));
  if (present.length !== change.files.length) return false;
  for (const file of change.files) {
    const entry = tree.get(file.path);
    if (!entry || entry.mode !== file.mode) return false;
    const { oid } = await git.hashBlob({ object: file.content });
    if (entry.oid !== oid) return false;
  }
  return true;
}

export async function publishToLocalGit(
  target: LocalGitTarget,
  change: GitopsChange,
  log: (message: string) => void,
): Promise<GitopsPublishResult> {
  const gitdir = localRepositoryPath(target, change.owner, change.repo);
  await ensureBareRepository(target, gitdir);
  // What users read (logs, errors, outputs) names the repository, never its path on the backend's disk.
  const where = `${change.host}/${change.owner}/${change.repo}`;

  const base = change.targetBranchName ?? target.defaultBranch;
  const baseCommit = await resolveBranch(gitdir, base);
  if (!baseCommit) {
    throw new InputError(
      `targetBranchName: branch ${base} does not exist in ${where}`,
    );
  }
  const { commit } = await git.readCommit({ fs, gitdir, oid: baseCommit });
  const files = await readFlatTree(gitdir, commit.tree);
  const prefix = `${change.targetPath}/`;
  const existing = [...files.keys()].filter(p => p.startsWith(prefix)).sort();
  const branchHead = await resolveBranch(gitdir, change.branchName);
  const branchExists = branchHead !== undefined;
  // A retried task whose branch already holds exactly these files finishes instead of being refused.
  if (
    branchHead &&
    !change.update &&
    existing.length === 0 &&
    (await holdsExactly(gitdir, branchHead, change))
  ) {
    log(
      `Branch ${change.branchName} (${branchHead.slice(0, 12)}) already holds these files in ${where}; nothing to push`,
    );
    return {
      remoteUrl: localRemoteUrl(change),
      targetBranchName: base,
      commitSha: branchHead,
      removedFiles: [],
    };
  }
  conflictIfPresent(change, {
    branchExists,
    targetPathExists: existing.length > 0,
    base,
    where,
  });

  // The branch is the target branch plus one commit that replaces the tenant's directory.
  const wanted = new Set(change.files.map(f => f.path));
  const removed = existing.filter(p => !wanted.has(p));
  for (const p of existing) files.delete(p);
  for (const file of change.files) {
    files.set(file.path, {
      mode: file.mode,
      oid: await git.writeBlob({ fs, gitdir, blob: file.content }),
    });
  }
  const tree = await writeFlatTree(gitdir, files);
  const message = `${change.title}\n\n${change.description(removed)}`;
  const commitSha = await git.writeCommit({
    fs,
    gitdir,
    commit: {
      message,
      tree,
      parent: [baseCommit],
      author: gitSignature(target),
      committer: gitSignature(target),
    },
  });
  // Created only if still absent (or moved only from the head read above): a concurrent run never overwrites it.
  await compareAndSwapBranch(
    gitdir,
    change.branchName,
    branchHead,
    commitSha,
    where,
  );
  log(
    `Pushed ${change.branchName} (${commitSha.slice(0, 12)}) to ${where}; merge it into ${base} by hand after review`,
  );

  return {
    remoteUrl: localRemoteUrl(change),
    targetBranchName: base,
    commitSha,
    removedFiles: removed,
  };
}
