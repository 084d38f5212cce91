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
export {
  renderRetireDescription,
  retirePullRequestTitle,
  tenantDeploymentOf,
} from './retire';
export type {
  RetireDescriptionInput,
  RetiredObject,
  TenantDeployment,
} from './retire';
