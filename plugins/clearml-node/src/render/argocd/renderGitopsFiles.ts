/**
 * The files that make a tenant's directory a complete GitOps unit, beside its
 * values and Routes: the Namespace, the SCC RoleBindings and (unless the
 * platform team deploys with its own ApplicationSet) an Argo CD Application
 * per Helm release. Pure: no I/O, the same input gives the same files.
 */
import {
  CredentialsDelivery,
  DEFAULT_CREDENTIALS_DELIVERY,
  Tenant,
  TENANT_CREDENTIALS_SECRET,
} from '@clearml-openshift/plugin-clearml-common';
import { credentialsManifests } from './credentials';
import {
  certificateManifests,
  CertificateSettings,
} from '../certificates/certificates';
import type { TenantChart } from '../../charts/tenantCharts';
import { argocdDestination, ArgocdSettings } from '../../gitops/argocdConfig';
import { sccGrantsForTenant } from '../values/grants';
import { RenderedFile, renderYaml, renderYamlStream } from '../yaml';
import { releaseName, tenantApplications } from './applications';
import { GITOPS_FILE_NAMES, PLAIN_MANIFEST_FILES } from './files';
import { sccGrantManifests } from './grants';
import { tenantIsolationManifests } from './isolation';
import { tenantNamespaceManifest } from './namespace';
import { GitopsDeploymentSummary } from './summary';

/** @public */
export interface GitopsFilesInput {
  tenant: Tenant;
  /** The Backstage cluster the tenant runs on (picks the Argo CD destination). */
  cluster: string;
  charts: readonly TenantChart[];
  settings: ArgocdSettings;
  /** The GitOps repository as Argo CD clones it. */
  repoURL: string;
  /** The tenant's directory in the GitOps repository. */
  gitopsPath: string;
  kubernetesVersion?: string;
  kubeVersionOverride?: string;
  /** How the tenant's credentials Secret reaches the cluster (`clearml.credentials.delivery`). */
  credentials?: CredentialsDelivery;
  /** Which certificate serves the tenant's Routes (`clearml.certificates`); default: the router's. */
  certificates?: CertificateSettings;
}

/** @public */
export interface RenderedGitopsFiles {
  files: RenderedFile[];
  summary: GitopsDeploymentSummary;
}

const HEADER_NOTE =
  'Rendered by the Backstage action clearml:argocd:render: change the template inputs, not this file.';

/** @public */
export function renderGitopsFiles(
  input: GitopsFilesInput,
): RenderedGitopsFiles {
  const { tenant, settings } = input;
  const grants = sccGrantsForTenant(tenant);
  const bindings = sccGrantManifests(tenant.namespace, grants);
  const files: RenderedFile[] = [
    {
      path: GITOPS_FILE_NAMES.namespace,
      content: renderYaml(tenantNamespaceManifest(tenant, settings.namespace), [
        `Namespace of ClearML tenant '${tenant.tenant}', owned by it (label clear.ml/tenant); applied first (sync wave -2).`,
        HEADER_NOTE,
      ]),
    },
  ];
  if (bindings.length) {
    files.push({
      path: GITOPS_FILE_NAMES.grants,
      content: renderYamlStream(bindings, [
        `SCC grants of ClearML tenant '${tenant.tenant}': what clearml:scc:grant (or oc adm policy add-scc-to-user) creates,`,
        "applied before the chart's pods (sync wave -1). Each grant and its reason:",
        ...grants.map(g => `  ${g.scc} -> ${g.serviceAccount}: ${g.reason}`),
        HEADER_NOTE,
      ]),
    });
  }
  const delivery = input.credentials ?? DEFAULT_CREDENTIALS_DELIVERY;
  if (tenant.edition === 'oss' && delivery === 'externalSecrets') {
    files.push({
      path: GITOPS_FILE_NAMES.credentials,
      content: renderYamlStream(credentialsManifests(tenant), [
        `Credentials of ClearML tenant '${tenant.tenant}': the External Secrets Operator generates Secret ${TENANT_CREDENTIALS_SECRET}`,
        '(server keys, token-signing secret, the agent credential) on the cluster once (refreshPolicy CreatedOnce);',
        'no value is in git. Applied before the chart (sync wave -1). See docs/credentials.md.',
        HEADER_NOTE,
      ]),
    });
  }
  const certificates = certificateManifests(
    tenant,
    input.certificates ?? { mode: 'routerDefault' },
  );
  if (certificates.length) {
    files.push({
      path: GITOPS_FILE_NAMES.certificates,
      content: renderYamlStream(certificates, [
        `Certificate of ClearML tenant '${tenant.tenant}' (clearml.certificates.mode: ${input.certificates?.mode}), applied before`,
        'the Routes (sync wave -1): the Routes reference its Secret through spec.tls.externalCertificate, and the Role and',
        "RoleBinding let the OpenShift router's ServiceAccount read that one Secret. See docs/credentials.md.",
        HEADER_NOTE,
      ]),
    });
  }
  files.push({
    path: GITOPS_FILE_NAMES.isolation,
    content: renderYamlStream(tenantIsolationManifests(tenant), [
      `Isolation of ClearML tenant '${tenant.tenant}' on the cluster, applied before the chart's pods (sync wave -1):`,
      '  NetworkPolicies: ingress denied by default; the router reaches only the web, API and file servers (and the app gateway);',
      "  the tenant's own pods (agent, task pods) reach the API, file and web servers; MongoDB, Redis and Elasticsearch",
      '  accept only the API server and its async-delete worker; monitoring reaches the exporters. Egress is not restricted.',
      `  ResourceQuota and LimitRange of size tier '${tenant.tier.name}': the chart's pods, a rolling update's extra pod and ${tenant.tier.taskPods.count} task pods.`,
      HEADER_NOTE,
    ]),
  });
  const applications =
    settings.render === 'applications'
      ? tenantApplications({
          tenant,
          charts: input.charts,
          settings,
          destination: argocdDestination(settings, input.cluster),
          repoURL: input.repoURL,
          gitopsPath: input.gitopsPath,
          kubeVersionOverride: input.kubeVersionOverride,
        })
      : [];
  if (applications.length) {
    files.push({
      path: GITOPS_FILE_NAMES.applications,
      content: renderYamlStream(applications, [
        `Argo CD Applications of ClearML tenant '${tenant.tenant}', one per Helm release, in namespace ${settings.namespace}.`,
        `The server Application also applies ${PLAIN_MANIFEST_FILES.join(', ')} of this directory, in sync waves:`,
        'namespace (-2), SCC grants, credentials and isolation (-1), the chart (0), Routes (1). See docs/argocd.md.',
        HEADER_NOTE,
      ]),
    });
  }
  return {
    files,
    summary: {
      render: settings.render,
      argocdNamespace: settings.namespace,
      releases: input.charts.map((chart, i) => ({
        ...(applications[i]
          ? { application: applications[i].metadata.name }
          : {}),
        release: releaseName(tenant, chart.role),
        chart: chart.source.chart,
        version: chart.source.version,
      })),
      ...(input.kubernetesVersion
        ? { kubernetesVersion: input.kubernetesVersion }
        : {}),
      ...(input.kubeVersionOverride
        ? { kubeVersionOverride: input.kubeVersionOverride }
        : {}),
      grantBindings: bindings.map(b => b.metadata!.name!),
      credentials: {
        delivery,
        secret: TENANT_CREDENTIALS_SECRET,
      },
    },
  };
}
