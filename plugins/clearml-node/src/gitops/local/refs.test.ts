import { ConflictError } from '@backstage/errors';
import fs from 'fs';
import git from 'isomorphic-git';
import os from 'os';
import path from 'path';
import { compareAndSwapBranch } from './refs';

describe('compareAndSwapBranch', () => {
  let gitdir: string;
  const commits: string[] = [];

  beforeAll(async () => {
    gitdir = fs.mkdtempSync(path.join(os.tmpdir(), 'clearml-cas-'));
    await git.init({ fs, dir: gitdir, bare: true, defaultBranch: 'main' });
    const tree = await git.writeTree({ fs, gitdir, tree: [] });
    const who = { name: 'T', email: 't@x', timestamp: 0, timezoneOffset: 0 };
    for (const message of ['one\n', 'two\n', 'three\n']) {
      commits.push(
        await git.writeCommit({
          fs,
          gitdir,
          commit: { message, tree, parent: [], author: who, committer: who },
        }),
      );
    }
  });

  afterAll(() => fs.rmSync(gitdir, { recursive: true, force: true }));

  it('of concurrent creates of one branch, exactly one wins and the branch keeps its commit', async () => {
    const results = await Promise.allSettled(
      commits.map(c =>
        compareAndSwapBranch(
          gitdir,
          'clearml/acme',
          undefined,
          c,
          'git.local/p/r',
        ),
      ),
    );
    const won = results.findIndex(r => r.status === 'fulfilled');
    expect(results.filter(r => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter(
      (x): x is PromiseRejectedResult => x.status === 'rejected',
    )) {
      expect(r.reason).toBeInstanceOf(ConflictError);
      expect(r.reason.message).not.toContain(gitdir);
    }
    expect(
      await git.resolveRef({ fs, gitdir, ref: 'refs/heads/clearml/acme' }),
    ).toBe(commits[won]);
    expect(
      fs.existsSync(path.join(gitdir, 'refs/heads/clearml/acme.lock')),
    ).toBe(false);
  });

  it('moves a branch only from the commit the run read', async () => {
    const head = await git.resolveRef({
      fs,
      gitdir,
      ref: 'refs/heads/clearml/acme',
    });
    const other = commits.find(c => c !== head)!;
    await expect(
      compareAndSwapBranch(gitdir, 'clearml/acme', other, other, 'x'),
    ).rejects.toThrow('moved while this run prepared its commit');
    await compareAndSwapBranch(gitdir, 'clearml/acme', head, other, 'x');
    expect(
      await git.resolveRef({ fs, gitdir, ref: 'refs/heads/clearml/acme' }),
    ).toBe(other);
  });
});
