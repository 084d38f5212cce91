/**
 * The values renderer behind `clearml:values:render`: a validated tenant in,
 * the Helm values files, public URLs, SCC grants and the list of deliberate
 * departures from the vendor docs out. Pure: no I/O.
 */
import {
  agentNames,
  appGatewayNames,
  ImageSettings,
  SccGrant,
  serverNames,
  Tenant,
  TenantImages,
  tenantHosts,
  tenantUrls,
  TENANT_CREDENTIALS_SECRET,
} from '@clearml-openshift/plugin-clearml-common';
import type { TenantChart } from '../../charts/tenantCharts';
import { renderYaml, RenderedFile } from '../yaml';
import { agentValues } from './agent';
import { appGatewayValues } from './appGateway';
import { enterpriseServerValues } from './enterpriseServer';
import { mergeValues, ValuesPart, VALUES_FILE_NAMES } from './files';
import { sccGrantsForTenant } from './grants';
import {
  chartLabel,
  exposureNotes,
  grantsDeviations,
  imageDeviations,
  storageDeviations,
} from './deviations';
import { valuesFileHeader } from './header';
import { agentImageValues, serverImageValues, tenantImages } from './images';
import { storageClassValues } from './storage';
import { agentLabelValues, serverLabelValues } from './labels';
import { ossServerValues } from './ossServer';
import {
  agentSizingValues,
  appGatewaySizingValues,
  mergeParts,
  serverSizingValues,
} from './sizing';

/** @public */
export interface RenderedTenantValues {
  /** Paths relative to the tenant's `targetPath`. */
  files: RenderedFile[];
  urls: { api: string; files: string; web: string };
  sccGrants: SccGrant[];
  namespace: string;
  /** One line per deliberate departure from the vendor docs, prefixed with its file, for the PR summary. */
  deviations: string[];
  /** Every image the rendered charts pull, the mirror and pull secret, and which chart pins were replaced. */
  images: TenantImages;
}

/**
 * Platform settings the values depend on (from config, not from the form).
 *
 * @public
 */
export interface TenantValuesOptions {
  /** `clearml.images`: mirror registry and pull secret. */
  images?: ImageSettings;
  /**
   * The charts the tenant's Applications install (`clearml.charts`): each values file's header names its chart's
   * version. A role without one is named by the built-in version (open source) or none (private charts).
   */
  charts?: readonly TenantChart[];
}

function prefixed(fileName: string, lines: string[]): string[] {
  return lines.map(line => `${fileName}: ${line}`);
}

/** @public */
export function renderTenantValues(
  tenant: Tenant,
  options: TenantValuesOptions = {},
): RenderedTenantValues {
  const imageSettings = options.images ?? {};
  const urls = tenantUrls(tenant.domain);
  const grants = sccGrantsForTenant(tenant);
  const names = serverNames(tenant.edition, tenant.releaseName);
  const files: RenderedFile[] = [];
  const deviations: string[] = [];
  const sourceOf = (role: TenantChart['role']) =>
    options.charts?.find(c => c.role === role)?.source;

  const emit = (
    fileName: string,
    part: ValuesPart,
    header: {
      purpose: string[];
      chart: string;
      notes: string[];
      grants: SccGrant[];
    },
  ) => {
    files.push({
      path: fileName,
      content: renderYaml(
        part.values,
        valuesFileHeader({
          ...header,
          securityProfile: tenant.securityProfile,
          deviations: part.deviations,
        }),
      ),
    });
    deviations.push(...prefixed(fileName, part.deviations));
  };

  const server = mergeParts(
    tenant.edition === 'oss'
      ? ossServerValues(tenant)
      : enterpriseServerValues(tenant),
    serverSizingValues(tenant),
  );
  const agentAccount = agentNames(
    tenant.edition,
    tenant.releaseName,
  ).serviceAccount;
  const serverGrants = grants.filter(g => g.serviceAccount !== agentAccount);
  const serverImages = serverImageValues(tenant, imageSettings);
  const agentImages = agentImageValues(tenant, imageSettings);
  emit(
    VALUES_FILE_NAMES.server,
    {
      values: mergeValues(
        mergeValues(
          mergeValues(server.values, serverImages.values),
          storageClassValues(tenant),
        ),
        serverLabelValues(tenant),
      ),
      deviations: [
        ...server.deviations,
        ...grantsDeviations(tenant, serverGrants),
        ...imageDeviations(tenant, imageSettings, [
          ...serverImages.images,
          ...agentImages.images,
        ]),
        ...storageDeviations(tenant),
      ],
    },
    {
      purpose: [
        `ClearML server values for tenant '${tenant.tenant}': namespace ${tenant.namespace}, Helm release ${tenant.releaseName} (objects named ${names.fullname}-*), size tier '${tenant.tier.name}'.`,
        `Public URLs: ${urls.web} (web), ${urls.api} (api), ${urls.files} (files).`,
      ],
      chart: chartLabel(tenant, 'server', sourceOf('server')),
      notes: [
        ...exposureNotes(tenant),
        ...(tenant.edition === 'oss'
          ? [
              `Credentials are not in this file: clearml.existingSecret names the tenant's Secret ${TENANT_CREDENTIALS_SECRET}, generated per tenant on the cluster (docs/credentials.md); the chart's built-in keys are public.`,
            ]
          : []),
      ],
      grants: serverGrants,
    },
  );

  if (tenant.agent.enabled) {
    const agent = agentNames(tenant.edition, tenant.releaseName);
    const agentPart = mergeParts(
      agentValues(tenant),
      agentSizingValues(tenant),
    );
    const agentGrants = grants.filter(g => g.serviceAccount === agentAccount);
    const agentDeviations =
      tenant.edition === 'enterprise'
        ? grantsDeviations(tenant, agentGrants)
        : [];
    emit(
      VALUES_FILE_NAMES.agent,
      {
        values: mergeValues(
          mergeValues(agentPart.values, agentImages.values),
          agentLabelValues(tenant),
        ),
        deviations: [...agentPart.deviations, ...agentDeviations],
      },
      {
        purpose: [
          `ClearML k8s glue agent values for tenant '${tenant.tenant}': namespace ${tenant.namespace}, Helm release ${agent.release}, queue '${tenant.agent.queue}'.`,
          `The agent and its task pods run as ServiceAccount ${agent.serviceAccount}.`,
        ],
        chart: chartLabel(tenant, 'agent', sourceOf('agent')),
        notes: [
          tenant.edition === 'oss'
            ? `Credentials are not in this file: the agent reads its access key from the tenant's Secret ${TENANT_CREDENTIALS_SECRET}, which the server provisions from its first start (docs/credentials.md).`
            : 'Credentials are not in this file: give the agent its ClearML access key through your secret management.',
        ],
        grants: agentGrants,
      },
    );
  }

  if (tenant.appGateway.enabled) {
    const gateway = appGatewayNames(tenant.releaseName);
    emit(
      VALUES_FILE_NAMES.appGateway,
      mergeParts(appGatewayValues(tenant), appGatewaySizingValues(tenant)),
      {
        purpose: [
          `ClearML application gateway values for tenant '${tenant.tenant}': namespace ${tenant.namespace}, Helm release ${gateway.release}, Service ${gateway.service}:${gateway.port}.`,
          `Serves ${tenantHosts(tenant.domain).appGateway}.`,
        ],
        chart: chartLabel(tenant, 'appGateway', sourceOf('appGateway')),
        notes: exposureNotes(tenant),
        grants: [],
      },
    );
  }

  return {
    files,
    urls,
    sccGrants: grants,
    namespace: tenant.namespace,
    deviations,
    images: tenantImages(imageSettings, [
      ...serverImages.images,
      ...agentImages.images,
    ]),
  };
}
