/**
 * A git object store as GitHub keeps it behind its Git Data API: blobs, trees
 * and commits addressed by their real git SHA-1, so the SHAs the double hands
 * out are the ones `git` would compute for the same content.
 */
import { createHash } from 'crypto';

export type FileMode = '100644' | '100755' | '040000' | '160000' | '120000';

export interface TreeEntry {
  name: string;
  mode: FileMode;
  type: 'blob' | 'tree' | 'commit';
  sha: string;
}

export interface GitPerson {
  name: string;
  email: string;
  date: string;
}

export interface CommitObject {
  sha: string;
  message: string;
  tree: string;
  parents: string[];
  author: GitPerson;
  committer: GitPerson;
}

/** A file at a path, as a flattened tree shows it. */
export interface FlatEntry {
  mode: FileMode;
  sha: string;
}

function gitHash(type: string, body: Buffer): string {
  return createHash('sha1')
    .update(Buffer.concat([Buffer.from(`${type} ${body.length}\0`), body]))
    .digest('hex');
}

function compareCodeUnits(a: string, b: string): number {
  if (a < b) return -1;
  if (a > b) return 1;
  return 0;
}

function treeBody(entries: TreeEntry[]): Buffer {
  // git sorts tree entries by name, comparing trees as if they ended in '/'.
  const key = (e: TreeEntry) => (e.type === 'tree' ? `${e.name}/` : e.name);
  const sorted = [...entries].sort((a, b) => compareCodeUnits(key(a), key(b)));
  return Buffer.concat(
    sorted.flatMap(e => [
      Buffer.from(`${e.mode === '040000' ? '40000' : e.mode} ${e.name}\0`),
      Buffer.from(e.sha, 'hex'),
    ]),
  );
}

function personLine(p: GitPerson): string {
  return `${p.name} <${p.email}> ${Math.floor(new Date(p.date).getTime() / 1000)} +0000`;
}

export class GitObjectStore {
  readonly blobs = new Map<string, Buffer>();
  readonly trees = new Map<string, TreeEntry[]>();
  readonly commits = new Map<string, CommitObject>();

  writeBlob(content: Buffer): string {
    const sha = gitHash('blob', content);
    this.blobs.set(sha, content);
    return sha;
  }

  writeTree(entries: TreeEntry[]): string {
    const sha = gitHash('tree', treeBody(entries));
    this.trees.set(sha, entries);
    return sha;
  }

  writeCommit(commit: Omit<CommitObject, 'sha'>): CommitObject {
    const body = [
      `tree ${commit.tree}`,
      ...commit.parents.map(p => `parent ${p}`),
      `author ${personLine(commit.author)}`,
      `committer ${personLine(commit.committer)}`,
      '',
      commit.message,
    ].join('\n');
    const sha = gitHash('commit', Buffer.from(body));
    const stored = { ...commit, sha };
    this.commits.set(sha, stored);
    return stored;
  }

  /**
   * A repository's first commit holding `files` (a string is a regular file's content), authored by `by`: how both
   * hosting doubles seed a fixture repository.
   */
  writeInitialCommit(
    files: Record<string, string | { content: string; mode?: FileMode }>,
    by: GitPerson,
  ): CommitObject {
    const flat = new Map<string, FlatEntry>();
    for (const [path, file] of Object.entries(files)) {
      const { content, mode } =
        typeof file === 'string' ? { content: file, mode: undefined } : file;
      flat.set(path, {
        mode: mode ?? '100644',
        sha: this.writeBlob(Buffer.from(content)),
      });
    }
    return this.writeCommit({
      message: 'Initial commit',
      tree: this.buildTree(flat),
      parents: [],
      author: by,
      committer: by,
    });
  }

  /** Every file below a tree, by its full path. */
  flatten(treeSha: string, prefix = ''): Map<string, FlatEntry> {
    const files = new Map<string, FlatEntry>();
    for (const entry of this.trees.get(treeSha) ?? []) {
      const path = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.type === 'tree') {
        for (const [p, f] of this.flatten(entry.sha, path)) files.set(p, f);
      } else {
        files.set(path, { mode: entry.mode, sha: entry.sha });
      }
    }
    return files;
  }

  /** Builds nested trees from full paths, as git does on commit. */
  buildTree(files: Map<string, FlatEntry>): string {
    const children = new Map<string, Map<string, FlatEntry>>();
    const entries: TreeEntry[] = [];
    for (const [path, file] of files) {
      const slash = path.indexOf('/');
      if (slash === -1) {
        entries.push({
          name: path,
          mode: file.mode,
          type: file.mode === '160000' ? 'commit' : 'blob',
          sha: file.sha,
        });
        continue;
      }
      const dir = path.slice(0, slash);
      if (!children.has(dir)) children.set(dir, new Map());
      children.get(dir)!.set(path.slice(slash + 1), file);
    }
    for (const [dir, sub] of children) {
      entries.push({
        name: dir,
        mode: '040000',
        type: 'tree',
        sha: this.buildTree(sub),
      });
    }
    return this.writeTree(entries);
  }

  /** The entry at a path below a tree: a file, a directory (its tree), or undefined. */
  lookup(treeSha: string, path: string): TreeEntry | undefined {
    let entries = this.trees.get(treeSha);
    const parts = path.split('/').filter(Boolean);
    let found: TreeEntry | undefined;
    for (const [i, part] of parts.entries()) {
      found = entries?.find(e => e.name === part);
      if (!found) return undefined;
      if (i < parts.length - 1) {
        if (found.type !== 'tree') return undefined;
        entries = this.trees.get(found.sha);
      }
    }
    return found;
  }
}
