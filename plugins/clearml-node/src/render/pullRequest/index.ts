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
export { renderUpgradeDescription, upgradePullRequestTitle } from './upgrade';
export type { UpgradeDescriptionInput, UpgradedRelease } from './upgrade';
// User and repository text for Markdown a task page shows (the upgrade's summary).
export { code as markdownCode, text as markdownText } from './markdown';
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
