/**
 * The Helm charts a tenant is installed from: per edition and role, the chart
 * name, the repository and version used when `clearml.charts` names none, and
 * the Kubernetes versions each known chart version accepts (its Chart.yaml
 * `kubeVersion`). The only place these facts live; see
 * docs/argocd.md#chart-versions-and-the-kubeversion-check.
 */
import {
  CHART_NAMES,
  CHART_VERSIONS,
  ChartRole,
  Edition,
} from '@clearml-openshift/plugin-clearml-common';

/**
 * Where a chart comes from and which version is installed.
 *
 * @public
 */
export interface ChartSource {
  /** Chart name in the repository (`clearml`, `clearml-agent`, …). */
  chart: string;
  /** Helm repository URL (`https://…`) or OCI registry (`oci://…` without the chart name). */
  repository: string;
  version: string;
  /**
   * The chart's `kubeVersion` constraint (Helm semver range). Undefined when
   * neither the config nor {@link KNOWN_CHART_KUBE_VERSIONS} knows it: then no
   * version check is possible and none is claimed.
   */
  kubeVersion?: string;
}

/**
 * ClearML's public Helm repository (the open-source charts).
 *
 * @public
 */
export const CLEARML_HELM_REPOSITORY =
  'https://clearml.github.io/clearml-helm-charts';

/**
 * `kubeVersion` of the public chart versions known here, by `<chart>@<version>`.
 * clearml 7.14.1 / clearml-agent 5.3.0 refuse Kubernetes 1.32 (OpenShift 4.19);
 * 7.14.4 / 5.3.2 accept it and refuse 1.33 (OpenShift 4.20+).
 *
 * @public
 */
export const KNOWN_CHART_KUBE_VERSIONS: Readonly<Record<string, string>> = {
  'clearml@7.14.1': '>= 1.21.0-0 < 1.32.0-0',
  'clearml-agent@5.3.0': '>= 1.21.0-0 < 1.32.0-0',
  'clearml@7.14.4': '>= 1.21.0-0 < 1.33.0-0',
  'clearml-agent@5.3.2': '>= 1.21.0-0 < 1.33.0-0',
  // Upstream dropped the upper bound (clearml-helm-charts#361): Chart.yaml of these releases.
  'clearml-agent@5.3.4': '>= 1.21.0-0',
  'clearml@7.15.0': '>= 1.21.0-0',
};

/**
 * What a known chart version renders, for installing it on a cluster newer
 * than its `kubeVersion` admits: the API group/versions of every object it
 * renders (any tenant variant; the chart tests render them all and hold this
 * list to it), and the newest Kubernetes version its range admits, which
 * Argo CD then renders it for (`helm.kubeVersion`). The cluster must serve
 * every one of those APIs, or the tenant is refused.
 *
 * @public
 */
export const KNOWN_CHART_RENDERED_APIS: Readonly<
  Record<string, { apiVersions: readonly string[]; renderAs: string }>
> = {
  'clearml@7.14.4': {
    apiVersions: [
      'apps/v1',
      'networking.k8s.io/v1',
      'policy/v1',
      'rbac.authorization.k8s.io/v1',
      'v1',
    ],
    renderAs: '1.32.0',
  },
  'clearml-agent@5.3.2': {
    apiVersions: ['apps/v1', 'rbac.authorization.k8s.io/v1', 'v1'],
    renderAs: '1.32.0',
  },
};

/**
 * The known rendering facts of a chart version, if any.
 *
 * @public
 */
export function knownChartRenderedApis(
  chart: string,
  version: string,
): { apiVersions: readonly string[]; renderAs: string } | undefined {
  return KNOWN_CHART_RENDERED_APIS[`${chart}@${version}`];
}

/**
 * The chart name of a role in an edition; the open-source edition has no app gateway chart.
 *
 * @public
 */
export function chartName(
  edition: Edition,
  role: ChartRole,
): string | undefined {
  if (edition === 'oss')
    return role === 'appGateway' ? undefined : CHART_NAMES.oss[role];
  return CHART_NAMES.enterprise[role];
}

/**
 * The known `kubeVersion` range of a chart version, if any.
 *
 * @public
 */
export function knownChartKubeVersion(
  chart: string,
  version: string,
): string | undefined {
  return KNOWN_CHART_KUBE_VERSIONS[`${chart}@${version}`];
}

/**
 * The default source of a chart: the public repository and version for the
 * open-source charts; none for the private enterprise charts (their repository
 * must be configured).
 *
 * @public
 */
export function defaultChartSource(chart: string): ChartSource | undefined {
  const defaults: Record<string, string> = {
    [CHART_NAMES.oss.server]: CHART_VERSIONS.oss.server,
    [CHART_NAMES.oss.agent]: CHART_VERSIONS.oss.agent,
  };
  const version = defaults[chart];
  if (!version) return undefined;
  return {
    chart,
    repository: CLEARML_HELM_REPOSITORY,
    version,
    kubeVersion: knownChartKubeVersion(chart, version),
  };
}
