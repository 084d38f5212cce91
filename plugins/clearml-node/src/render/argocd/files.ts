/** Names of the GitOps files the Argo CD renderer writes beside the values and Routes. */
import { VALUES_FILE_NAMES } from '../values/files';
import { ROUTES_FILE_NAME } from '../routes/routes';

/** @public */
export const GITOPS_FILE_NAMES = {
  namespace: 'namespace.yaml',
  grants: 'scc-grants.yaml',
  isolation: 'isolation.yaml',
  credentials: 'credentials.yaml',
  certificates: 'certificates.yaml',
  applications: 'applications.yaml',
} as const;

/**
 * The plain manifests of a tenant's directory, which the server Application
 * (or the platform team's ApplicationSet) applies as a directory source: the
 * Namespace, the SCC RoleBindings, the credentials' ExternalSecret, the certificate (cert-manager Certificate and the
 * router's read access to its Secret), the isolation (NetworkPolicies, ResourceQuota,
 * LimitRange) and the Routes; not the values files, the
 * Applications or the catalog file.
 *
 * @public
 */
export const PLAIN_MANIFEST_FILES: readonly string[] = [
  GITOPS_FILE_NAMES.namespace,
  GITOPS_FILE_NAMES.grants,
  GITOPS_FILE_NAMES.credentials,
  GITOPS_FILE_NAMES.certificates,
  GITOPS_FILE_NAMES.isolation,
  ROUTES_FILE_NAME,
];

/**
 * Argo CD's `directory.include` glob for {@link PLAIN_MANIFEST_FILES}.
 *
 * @public
 */
export const PLAIN_MANIFEST_INCLUDE = `{${PLAIN_MANIFEST_FILES.join(',')}}`;

/** The values file of each release. */
export const RELEASE_VALUES_FILE = {
  server: VALUES_FILE_NAMES.server,
  agent: VALUES_FILE_NAMES.agent,
  appGateway: VALUES_FILE_NAMES.appGateway,
} as const;
