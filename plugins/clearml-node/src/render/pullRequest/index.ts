export {
  defaultPullRequestTitle,
  renderPullRequestDescription,
  sccGrantCommand,
  FLAGGED_SCCS,
} from './description';
export type {
  PullRequestDescriptionInput,
  PullRequestSummary,
} from './description';
