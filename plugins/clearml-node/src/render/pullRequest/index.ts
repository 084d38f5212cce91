export {
  defaultPullRequestTitle,
  renderPullRequestDescription,
  sccGrantCommand,
  tenantNamespaceCommand,
  FLAGGED_SCCS,
} from './description';
export type {
  PullRequestDescriptionInput,
  PullRequestSummary,
} from './description';
