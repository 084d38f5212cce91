export { renderGitopsFiles } from './renderGitopsFiles';
export type {
  GitopsFilesInput,
  RenderedGitopsFiles,
} from './renderGitopsFiles';
export {
  tenantApplications,
  releaseName,
  VALUES_REF,
  RESOURCES_FINALIZER,
} from './applications';
export type {
  ArgocdApplication,
  ApplicationSource,
  ApplicationsInput,
} from './applications';
export { tenantNamespaceManifest, ARGOCD_MANAGED_BY_LABEL } from './namespace';
export { sccGrantManifests } from './grants';
export {
  GITOPS_FILE_NAMES,
  PLAIN_MANIFEST_FILES,
  PLAIN_MANIFEST_INCLUDE,
} from './files';
export type { GitopsDeploymentSummary } from './summary';
export {
  tenantNetworkPolicies,
  tenantResourceQuota,
  tenantLimitRange,
  tenantIsolationManifests,
  isolationTargetOf,
} from './isolation';
export type {
  IsolationMetadata,
  IsolationTarget,
  LimitRangeManifest,
} from './isolation';
export type { CredentialsManifest } from './credentials';
export {
  credentialsManifests,
  EXTERNAL_SECRETS_API_VERSION,
  PASSWORD_GENERATOR_API_VERSION,
} from './credentials';
export {
  readCertificateSettings,
  assertCertificatesSupported,
  certificateManifests,
  CERTIFICATE_MODES,
  CERTIFICATES_CONFIG_KEY,
} from '../certificates/certificates';
export type {
  CertificateMode,
  CertificateSettings,
} from '../certificates/certificates';
