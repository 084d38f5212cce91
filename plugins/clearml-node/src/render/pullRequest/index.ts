export {
  defaultPullRequestTitle,
  renderPullRequestDescription,
  FLAGGED_SCCS,
} from './description';
export { sccGrantCommand, tenantNamespaceCommand } from './commands';
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
export { effectiveChange, isEmptyChange } from './effectiveChange';
export type {
  EffectiveChange,
  ManifestRef,
  ReleaseRef,
  SccGrantRef,
  TenantFileContents,
  ValuesFileChange,
  ValuesKeyChange,
} from './effectiveChange';
export {
  renderEffectiveChange,
  summarizeEffectiveChange,
} from './effectiveChangeMarkdown';
export { claimResizes, renderClaimResizes } from './claimResize';
export type { ClaimResize } from './claimResize';
export { changePullRequestTitle, renderChangeDescription } from './change';
export type { ChangeDescriptionInput, ChangedSetting } from './change';
