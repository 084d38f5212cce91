/**
 * One Argo CD Application per Helm release of a tenant, multi-source: the
 * chart from its repository at the configured version, its values file from
 * the GitOps repository through a `ref` source, and, for the server release,
 * the tenant's plain manifests (Namespace, SCC RoleBindings, Routes) as a
 * directory source, so one sync applies them in wave order around the chart.
 */
import {
  APPLICATION_SYNC_WAVES,
  ARGOCD_SYNC_WAVE_ANNOTATION,
  ChartRole,
  agentNames,
  appGatewayNames,
  argocdApplicationName,
  Tenant,
  tenantOwnerLabels,
  TENANT_LABEL_KEYS,
} from '@clearml-openshift/plugin-clearml-common';
import type {
  ArgocdDestination,
  ArgocdSettings,
} from '../../gitops/argocdConfig';
import type { TenantChart } from '../../charts/tenantCharts';
import { PLAIN_MANIFEST_INCLUDE, RELEASE_VALUES_FILE } from './files';

/**
 * The `ref` name the values files are read through (`$values/<path>`).
 *
 * @public
 */
export const VALUES_REF = 'values';

/**
 * Argo CD deletes an Application's resources before the Application itself (cascade).
 *
 * @public
 */
export const RESOURCES_FINALIZER = 'resources-finalizer.argocd.argoproj.io';

/** @public */
export interface ApplicationSource {
  repoURL: string;
  targetRevision: string;
  chart?: string;
  path?: string;
  ref?: string;
  helm?: { releaseName: string; valueFiles: string[]; kubeVersion?: string };
  directory?: { include: string };
}

/** @public */
export interface ArgocdApplication {
  apiVersion: 'argoproj.io/v1alpha1';
  kind: 'Application';
  metadata: {
    name: string;
    namespace: string;
    labels: Record<string, string>;
    annotations: Record<string, string>;
    finalizers: string[];
  };
  spec: {
    project: string;
    destination: ArgocdDestination & { namespace: string };
    sources: ApplicationSource[];
    syncPolicy: {
      automated?: { prune: boolean; selfHeal: boolean };
      retry: {
        limit: number;
        backoff: { duration: string; factor: number; maxDuration: string };
      };
    };
  };
}

/** @public */
export interface ApplicationsInput {
  tenant: Tenant;
  charts: readonly TenantChart[];
  settings: ArgocdSettings;
  destination: ArgocdDestination;
  /** The GitOps repository as Argo CD clones it. */
  repoURL: string;
  /** The tenant's directory in it. */
  gitopsPath: string;
  /** `helm.kubeVersion` of every release, when the platform team overrides the cluster's version. */
  kubeVersionOverride?: string;
}

/**
 * Helm release of each role, from the naming rules the values use.
 *
 * @public
 */
export function releaseName(tenant: Tenant, role: ChartRole): string {
  if (role === 'agent')
    return agentNames(tenant.edition, tenant.releaseName).release;
  if (role === 'appGateway') return appGatewayNames(tenant.releaseName).release;
  return tenant.releaseName;
}

/** Argo CD names OCI Helm repositories without the `oci://` scheme. */
function argocdChartRepo(repository: string): string {
  return repository.replace(/^oci:\/\//, '');
}

function application(
  input: ApplicationsInput,
  chart: TenantChart,
): ArgocdApplication {
  const { tenant, settings } = input;
  const gitops = {
    repoURL: input.repoURL,
    targetRevision: settings.targetRevision,
  };
  const sources: ApplicationSource[] = [
    {
      repoURL: argocdChartRepo(chart.source.repository),
      chart: chart.source.chart,
      targetRevision: chart.source.version,
      helm: {
        releaseName: releaseName(tenant, chart.role),
        valueFiles: [
          `$${VALUES_REF}/${input.gitopsPath}/${RELEASE_VALUES_FILE[chart.role]}`,
        ],
        ...(input.kubeVersionOverride
          ? { kubeVersion: input.kubeVersionOverride }
          : {}),
      },
    },
    { ...gitops, ref: VALUES_REF },
  ];
  if (chart.role === 'server')
    sources.push({
      ...gitops,
      path: input.gitopsPath,
      directory: { include: PLAIN_MANIFEST_INCLUDE },
    });
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: argocdApplicationName(tenant.tenant, chart.role),
      namespace: settings.namespace,
      labels: {
        ...tenantOwnerLabels(tenant.tenant),
        [TENANT_LABEL_KEYS.instance]: releaseName(tenant, chart.role),
      },
      annotations: {
        [ARGOCD_SYNC_WAVE_ANNOTATION]: String(
          APPLICATION_SYNC_WAVES[chart.role],
        ),
      },
      finalizers: [RESOURCES_FINALIZER],
    },
    spec: {
      project: settings.project,
      destination: { ...input.destination, namespace: tenant.namespace },
      sources,
      syncPolicy: {
        ...(settings.automatedSync
          ? { automated: { prune: true, selfHeal: true } }
          : {}),
        // The agent and app gateway may sync before the server Application created the namespace and grants.
        retry: {
          limit: 10,
          backoff: { duration: '15s', factor: 2, maxDuration: '5m' },
        },
      },
    },
  };
}

/** @public */
export function tenantApplications(
  input: ApplicationsInput,
): ArgocdApplication[] {
  return input.charts.map(chart => application(input, chart));
}
