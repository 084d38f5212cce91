/**
 * The tenant's settings record, `tenant-settings.yaml` in its GitOps directory: every field the "New ClearML tenant"
 * template rendered the directory from. Day-2 actions read it back from the repository (untrusted: anyone who can
 * push there can edit it), so parsing applies the same rules as the template's inputs, each problem naming its field.
 */
import { InputError } from '@backstage/errors';
import yaml from 'js-yaml';
import { Edition, Exposure, SecurityProfile } from './editions';
import { parseRepoPickerUrl } from './gitopsFiles';
import type { Tenant, TenantInput } from './tenantTypes';
import {
  tenantClusterProblem,
  tenantDescriptionProblem,
  tenantOwnerRef,
} from './tenantRecordFields';

/** @public */
export const TENANT_SETTINGS_API_VERSION = 'clear.ml/v1alpha1';
/** @public */
export const TENANT_SETTINGS_KIND = 'TenantSettings';

/**
 * What defines a tenant: the template's inputs with every default applied (the resolved StorageClass included).
 *
 * @public
 */
export interface TenantSettings {
  tenant: string;
  /** Entity reference of the owning Group or User, `group:default/ml-team`. */
  owner: string;
  description?: string;
  /** The cluster's name in clearml.clusters. */
  cluster: string;
  namespace: string;
  domain: string;
  edition: Edition;
  releaseName: string;
  securityProfile: SecurityProfile;
  exposure: Exposure;
  ingressClassName?: string;
  tlsSecretName?: string;
  /** The StorageClass every claim names; absent: the claims name none. */
  storageClassName?: string;
  agent: { enabled: boolean; queue: string };
  appGateway: { enabled: boolean };
  /** Only when true (never set by the template). */
  elasticsearchSysctlInit?: boolean;
  /** A tier name of clearml.tiers. */
  tier: string;
  /** The GitOps repository, in RepoUrlPicker's form `host?owner=o&repo=r`. */
  repoUrl: string;
}

/**
 * The record's fields beyond the deployment's, which `tenantSettingsOf` takes besides the resolved tenant.
 *
 * @public
 */
export interface TenantRecordFields {
  owner: unknown;
  description?: unknown;
  cluster: unknown;
  repoUrl: unknown;
}

// The record's fields in the order they are written; a field outside it is refused when read (internal to the
// package, as are the helpers below that tenantSettingsParse.ts shares).
export const SPEC_FIELDS = [
  'tenant',
  'owner',
  'description',
  'cluster',
  'namespace',
  'domain',
  'edition',
  'releaseName',
  'securityProfile',
  'exposure',
  'ingressClassName',
  'tlsSecretName',
  'storageClassName',
  'agent',
  'appGateway',
  'elasticsearchSysctlInit',
  'tier',
  'repoUrl',
] as const;
export const OPTIONAL_FIELDS: readonly string[] = [
  'description',
  'ingressClassName',
  'tlsSecretName',
  'storageClassName',
  'elasticsearchSysctlInit',
];
export const NESTED_FIELDS: Record<string, readonly string[]> = {
  agent: ['enabled', 'queue'],
  appGateway: ['enabled'],
};

/**
 * The tenant request a record stands for, for `resolveTenant` (which checks its tier against clearml.tiers).
 *
 * @public
 */
export function tenantInputOfSettings(settings: TenantSettings): TenantInput {
  const { owner, description, cluster, repoUrl, ...input } = settings;
  return input;
}

/** The rules of the record's own fields; `owner` comes back as a full entity reference. */
export function recordProblems(fields: TenantRecordFields): {
  owner: string;
  problems: string[];
} {
  const problems: string[] = [];
  const owner = tenantOwnerRef(fields.owner, problems);
  for (const problem of [
    tenantDescriptionProblem(fields.description),
    tenantClusterProblem(fields.cluster),
  ])
    if (problem) problems.push(problem);
  if (
    typeof fields.repoUrl !== 'string' ||
    !parseRepoPickerUrl(fields.repoUrl)
  ) {
    problems.push(
      `repoUrl: must be a repository as RepoUrlPicker writes it, host?owner=…&repo=… (got ${JSON.stringify(fields.repoUrl)})`,
    );
  }
  return { owner, problems };
}

/** The record with its fields in the written order and no empty optional field. */
export function canonical(settings: TenantSettings): TenantSettings {
  const source = settings as unknown as Record<string, unknown>;
  const spec: Record<string, unknown> = {};
  for (const field of SPEC_FIELDS) {
    const value = source[field];
    if (
      OPTIONAL_FIELDS.includes(field) &&
      (value === undefined || value === '' || value === false)
    )
      continue;
    spec[field] = NESTED_FIELDS[field]
      ? Object.fromEntries(
          NESTED_FIELDS[field].map(k => [
            k,
            (value as Record<string, unknown>)[k],
          ]),
        )
      : value;
  }
  return spec as unknown as TenantSettings;
}

/**
 * The settings record of a resolved tenant and its owner, description, cluster and repository; an InputError naming
 * each bad field.
 *
 * @public
 */
export function tenantSettingsOf(
  tenant: Tenant,
  fields: TenantRecordFields,
): TenantSettings {
  const { owner, problems } = recordProblems(fields);
  if (problems.length) {
    throw new InputError(
      `Invalid ClearML tenant settings: ${problems.join('; ')}`,
    );
  }
  return canonical({
    tenant: tenant.tenant,
    owner,
    description: fields.description as string | undefined,
    cluster: fields.cluster as string,
    namespace: tenant.namespace,
    domain: tenant.domain,
    edition: tenant.edition,
    releaseName: tenant.releaseName,
    securityProfile: tenant.securityProfile,
    exposure: tenant.exposure,
    ingressClassName: tenant.ingressClassName,
    tlsSecretName: tenant.tlsSecretName,
    storageClassName: tenant.storageClassName,
    agent: { ...tenant.agent },
    appGateway: { ...tenant.appGateway },
    elasticsearchSysctlInit: tenant.elasticsearchSysctlInit,
    tier: tenant.tier.name,
    repoUrl: fields.repoUrl as string,
  });
}

/**
 * `tenant-settings.yaml`: the record as YAML (dumped by js-yaml), under a comment saying what it is.
 *
 * @public
 */
export function renderTenantSettings(settings: TenantSettings): string {
  const header = [
    `# Settings of ClearML tenant '${settings.tenant}': what it was requested (or last changed) with. Backstage renders`,
    '# every other file of this directory from them. Change them through the "Change ClearML tenant" template, not by',
    '# hand. Data only: Argo CD never applies this file.',
  ];
  const document = {
    apiVersion: TENANT_SETTINGS_API_VERSION,
    kind: TENANT_SETTINGS_KIND,
    spec: canonical(settings),
  };
  return `${header.join('\n')}\n${yaml.dump(document, { lineWidth: -1, noRefs: true })}`;
}
