/**
 * What a day-2 action (retire) reads of a GitOps repository before it writes:
 * the tenant's files on the default branch (its current settings), and
 * whether a change of the tenant is still open.
 */

/**
 * What day-2 actions read of a target before they write.
 *
 * @public
 */
export interface GitopsRepositoryReader {
  /** The branch changes merge into. */
  defaultBranch: string;
  /**
   * Every file below `dir` on the default branch (or on branch `ref`, e.g. an open change's), by repository path;
   * empty when the branch does not exist.
   */
  filesIn(dir: string, ref?: string): Promise<Map<string, Buffer>>;
  /** A sentence naming the open change from `branch`, or undefined when none is open. */
  openChange(branch: string): Promise<string | undefined>;
}
