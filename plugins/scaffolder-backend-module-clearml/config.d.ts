export interface Config {
  clearml?: {
    /** Where `clearml:gitops:pull-request` puts tenants, besides the GitHub hosts of `integrations.github`. */
    gitops?: {
      /**
       * Branches `clearml:gitops:pull-request` never uses as its work branch, besides the target branch
       * (default [main, master]).
       */
      protectedBranches?: string[];
      /**
       * Local git targets: a `repoUrl` whose host is listed here (`<host>?owner=<owner>&repo=<repo>`) names the
       * bare repository `<baseDir>/<owner>/<repo>.git` on the backend's disk instead of a GitHub repository.
       * The action writes branch `clearml/<tenant>` into it (creating the repository, with `defaultBranch` and
       * an initial commit, when missing) and puts the pull-request description in the commit message; reviewers
       * merge by hand. Used by the local instance and by teams whose GitOps repository is a plain git server
       * whose repositories the backend can reach on disk.
       */
      localTargets?: Array<{
        /** The host name templates use in `repoUrl`, e.g. `git.local`. Must not be a GitHub integration's host. */
        host: string;
        /** Directory of the bare repositories; relative paths are taken from the backend's working directory. */
        baseDir: string;
        /** Branch a new repository gets and pull requests target by default. Default `main`. */
        defaultBranch?: string;
        /**
         * The `<owner>/<repo>` repositories of this target the action may create when missing (default none:
         * only repositories that already exist on disk are written to).
         */
        repositories?: string[];
        /** Author and committer of the pushed commits. Default `Backstage <backstage@localhost>`. */
        author?: { name?: string; email?: string };
      }>;
    };
  };
}
