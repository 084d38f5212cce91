/**
 * What a values file's header says beyond its values: the chart it targets,
 * how the tenant is exposed, and where the rendering departs from the vendor
 * documentation (SCC grants, images, storage) and why.
 */
import {
  CHART_NAMES,
  CHART_VERSIONS,
  ImageSettings,
  SccGrant,
  Tenant,
} from '@clearml-openshift/plugin-clearml-common';
import type { ChartSource } from '../../charts/knownCharts';
import type { serverImageValues } from './images';

const OSS_CHART_SOURCE = 'https://github.com/allegroai/clearml-helm-charts';
const ENTERPRISE_CHART_NOTE = "(private chart), per ClearML's OpenShift guide";

/**
 * The chart a values file targets, as its header names it: the version the tenant's Application installs (`source`,
 * from `clearml.charts`), so an upgrade's pull request changes the header with the version.
 */
export function chartLabel(
  tenant: Tenant,
  chart: 'server' | 'agent' | 'appGateway',
  source?: ChartSource,
): string {
  if (tenant.edition === 'oss' && chart !== 'appGateway') {
    return `${CHART_NAMES.oss[chart]} ${source?.version ?? CHART_VERSIONS.oss[chart]} (open source, ${OSS_CHART_SOURCE})`;
  }
  const version = source ? ` ${source.version}` : '';
  return `${CHART_NAMES.enterprise[chart]}${version} ${ENTERPRISE_CHART_NOTE}`;
}

/** How the tenant is exposed, for the header's notes. */
export function exposureNotes(tenant: Tenant): string[] {
  if (tenant.exposure === 'route') {
    return [
      "Exposure: OpenShift Routes (routes.yaml, clearml:routes:render); the charts' Ingresses are off.",
    ];
  }
  const notes = [
    "Exposure: the charts' Ingresses (ClearML's option 1); OpenShift turns them into Routes.",
  ];
  if (!tenant.tlsSecretName) {
    notes.push(
      "No tlsSecretName: the charts render no Ingress `tls` section; the server Ingresses carry route.openshift.io/termination: edge, so OpenShift's Routes for them are edge TLS with the router's default certificate. Another ingress controller must terminate TLS for these hosts itself.",
    );
  }
  return notes;
}

export function grantsDeviations(tenant: Tenant, grants: SccGrant[]): string[] {
  if (tenant.edition === 'oss') {
    const privileged = grants.some(g => g.scc === 'privileged');
    return [
      `SCC grants are computed from this chart's ServiceAccounts (${grants.map(g => `${g.scc} -> ${g.serviceAccount}`).join(', ')}): ` +
        `no anyuid for 'default'${privileged ? '' : ' and no privileged for Elasticsearch'}, unlike the list of Red Hat's blog post, which names an older chart's accounts`,
    ];
  }
  if (tenant.securityProfile === 'restricted') return [];
  return [
    `security profile ${tenant.securityProfile}: ${grants
      .filter(g => g.scc !== 'privileged')
      .map(g => `${g.scc} -> ${g.serviceAccount}`)
      .join(
        ', ',
      )}; ClearML's OpenShift guide runs everything under restricted-v2 with no grants`,
  ];
}

export function imageDeviations(
  tenant: Tenant,
  settings: ImageSettings,
  images: ReturnType<typeof serverImageValues>['images'],
): string[] {
  if (tenant.edition !== 'oss') {
    return settings.registry || settings.pullSecret
      ? [
          'clearml.images (mirror registry, pull secret) is not applied to the private enterprise charts, whose values are not public: set their image registry and pull secret in the values ClearML gives you',
        ]
      : [];
  }
  const lines = images.flatMap(i =>
    i.replaced
      ? [
          `image ${i.replaced.from} (the chart's pin) is gone; ${i.replaced.to} is pulled instead (${i.replaced.sources.join(', ')}); it is a frozen copy that receives no security fixes`,
        ]
      : [],
  );
  if (settings.registry)
    lines.push(
      `every image is pulled through the mirror ${settings.registry} (clearml.images.registry): the platform team mirrors each listed image under the same repository path`,
    );
  if (settings.pullSecret)
    lines.push(
      `every pod, the agent's task pods included, pulls with the Secret ${settings.pullSecret} (clearml.images.pullSecret), which must exist in the namespace before the pods start`,
    );
  return [...new Set(lines)];
}

export function storageDeviations(tenant: Tenant): string[] {
  if (tenant.edition !== 'oss') {
    return tenant.storageClassName
      ? [
          `storageClassName ${tenant.storageClassName} is not set in the private enterprise chart's values, whose keys are not public: its claims use the cluster's default StorageClass unless its values name one`,
        ]
      : [];
  }
  return tenant.storageClassName
    ? []
    : [
        "no storageClassName: the claims name no StorageClass and bind only if the cluster has a default one (the template's first step fills in the cluster's default)",
      ];
}
