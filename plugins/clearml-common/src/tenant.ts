/**
 * The tenant request shared by the render actions: its fields, defaults and
 * rules, validated in one place. Every refusal names the field and the rule.
 */
import { InputError } from '@backstage/errors';
import { isDns1123Label, isDns1123Subdomain } from './dns';
import {
  Edition,
  EDITIONS,
  Exposure,
  EXPOSURES,
  SecurityProfile,
  SECURITY_PROFILES,
  defaultSecurityProfile,
} from './editions';
import { appGatewayRouteHost, tenantHostParent } from './hosts';
import { isProtectedNamespace, PROTECTED_NAMESPACE_RULE } from './scc';
import { tenantNameProblem } from './tenantName';
import { DEFAULT_TIERS, SizeTier } from './tiers';

/** Helm refuses release names longer than 53 characters. */
export const RELEASE_NAME_MAX_LENGTH = 53;
/** @public */
export const DEFAULT_RELEASE_NAME = 'clearml';
export const DEFAULT_AGENT_QUEUE = 'default';

/**
 * What a template passes in; every field but `tenant` and `domain` is optional.
 *
 * @public
 */
export interface TenantInput {
  tenant?: unknown;
  namespace?: unknown;
  domain?: unknown;
  edition?: unknown;
  releaseName?: unknown;
  securityProfile?: unknown;
  exposure?: unknown;
  ingressClassName?: unknown;
  tlsSecretName?: unknown;
  agent?: unknown;
  appGateway?: unknown;
  elasticsearchSysctlInit?: unknown;
  /** Size tier (a name from `clearml.tiers`; default the first). */
  tier?: unknown;
  storageClassName?: unknown;
  targetPath?: unknown;
}

/**
 * A validated tenant with every default applied.
 *
 * @public
 */
export interface Tenant {
  tenant: string;
  namespace: string;
  domain: string;
  edition: Edition;
  releaseName: string;
  securityProfile: SecurityProfile;
  exposure: Exposure;
  ingressClassName?: string;
  tlsSecretName?: string;
  agent: { enabled: boolean; queue: string };
  appGateway: { enabled: boolean };
  elasticsearchSysctlInit: boolean;
  /** The size tier: every container's requests and limits, every claim's size, the quota. */
  tier: SizeTier;
  /**
   * The StorageClass every claim of the tenant names. Absent: the claims name
   * none and the cluster's default class binds them (the first template step
   * fills in that default when it reads the cluster).
   */
  storageClassName?: string;
  /** Workspace-relative, normalised, without a trailing slash; `.` for the workspace itself. */
  targetPath: string;
}

/**
 * The default namespace of a tenant.
 *
 * @public
 */
export function defaultNamespace(tenant: string): string {
  return `clearml-${tenant}`;
}

type Problems = string[];

function optionalString(
  value: unknown,
  field: string,
  problems: Problems,
): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') {
    problems.push(`${field}: must be a string`);
    return undefined;
  }
  return value;
}

function oneOf<T extends string>(
  value: unknown,
  field: string,
  allowed: readonly T[],
  fallback: T,
  problems: Problems,
): T {
  const text = optionalString(value, field, problems);
  if (text === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(text)) {
    problems.push(
      `${field}: must be one of ${allowed.map(a => `'${a}'`).join(', ')} (got ${JSON.stringify(text)})`,
    );
    return fallback;
  }
  return text as T;
}

function optionalBoolean(
  value: unknown,
  field: string,
  problems: Problems,
): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') {
    problems.push(`${field}: must be true or false`);
    return false;
  }
  return value;
}

function optionalObject(
  value: unknown,
  field: string,
  problems: Problems,
): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    problems.push(`${field}: must be an object`);
    return {};
  }
  return value as Record<string, unknown>;
}

/**
 * Normalises a workspace-relative path, refusing absolute paths and any `..`
 * that would leave the workspace. Returns undefined when refused.
 *
 * @public
 */
export function normaliseWorkspacePath(path: string): string | undefined {
  if (
    path.startsWith('/') ||
    path.startsWith('\\') ||
    /^[A-Za-z]:/.test(path) ||
    path.includes('\0')
  ) {
    return undefined;
  }
  const parts: string[] = [];
  for (const part of path.split(/[\\/]+/)) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
      continue;
    }
    parts.push(part);
  }
  return parts.length ? parts.join('/') : '.';
}

/**
 * The rule a workspace path must meet, as refusals state it.
 *
 * @public
 */
export const WORKSPACE_PATH_RULE =
  'must be a relative path that stays inside the workspace (no leading "/", no ".." above it)';

/**
 * Validates a tenant request and applies the defaults of the tenant model.
 * Throws one `InputError` that lists every bad field and its rule.
 *
 * @public
 */
export function resolveTenant(
  input: TenantInput,
  options: {
    domain?: 'required' | 'ignored';
    /** The platform's tiers (`clearml.tiers`); the first is the default. */
    tiers?: readonly SizeTier[];
  } = {},
): Tenant {
  const problems: Problems = [];

  const tenant = optionalString(input.tenant, 'tenant', problems);
  if (tenant === undefined) {
    if (!problems.some(p => p.startsWith('tenant:')))
      problems.push('tenant: is required');
  } else {
    const tenantProblem = tenantNameProblem(tenant);
    if (tenantProblem) problems.push(tenantProblem);
  }
  const tenantName = tenant ?? '';

  const namespace =
    optionalString(input.namespace, 'namespace', problems) ??
    defaultNamespace(tenantName);
  if (tenant !== undefined || input.namespace !== undefined) {
    if (!isDns1123Label(namespace)) {
      problems.push(
        `namespace: must be a DNS-1123 label of at most 63 characters (got ${JSON.stringify(namespace)})`,
      );
    } else if (isProtectedNamespace(namespace)) {
      problems.push(
        `namespace: ${PROTECTED_NAMESPACE_RULE} (got ${JSON.stringify(namespace)})`,
      );
    }
  }

  // The grant action needs the tenant's grants, not its hosts: it resolves the tenant without a domain.
  const domain =
    options.domain === 'ignored'
      ? ''
      : optionalString(input.domain, 'domain', problems);
  if (options.domain === 'ignored') {
    // nothing to check
  } else if (domain === undefined) {
    if (!problems.some(p => p.startsWith('domain:')))
      problems.push('domain: is required');
  } else if (domain.includes('*')) {
    problems.push(
      `domain: must not contain '*': the API server rejects wildcard hosts; the app gateway's wildcard is derived from the domain (got ${JSON.stringify(domain)})`,
    );
  } else if (
    !isDns1123Subdomain(domain) ||
    !isDns1123Subdomain(appGatewayRouteHost(domain)) ||
    appGatewayRouteHost(domain)
      .split('.')
      .some(label => label.length > 63)
  ) {
    problems.push(
      `domain: must be a DNS-1123 subdomain (lower-case labels of letters, digits and '-', separated by '.', no spaces), short enough for the hosts derived from it ('${appGatewayRouteHost('<label>.<parent>')}': labels of at most 63, 253 characters in all) (got ${JSON.stringify(domain)})`,
    );
  } else if (!tenantHostParent(domain)) {
    problems.push(
      `domain: needs a parent domain: the tenant's hosts are '<first label>-app', '-api', '-files' directly under it, e.g. clearml-acme.apps.<cluster> (got ${JSON.stringify(domain)})`,
    );
  }

  const edition = oneOf(input.edition, 'edition', EDITIONS, 'oss', problems);

  const releaseName =
    optionalString(input.releaseName, 'releaseName', problems) ??
    DEFAULT_RELEASE_NAME;
  if (
    !isDns1123Label(releaseName) ||
    releaseName.length > RELEASE_NAME_MAX_LENGTH
  ) {
    problems.push(
      `releaseName: must be a DNS-1123 label of at most ${RELEASE_NAME_MAX_LENGTH} characters (got ${JSON.stringify(releaseName)})`,
    );
  }

  const securityProfile = oneOf(
    input.securityProfile,
    'securityProfile',
    SECURITY_PROFILES,
    defaultSecurityProfile(edition),
    problems,
  );
  if (securityProfile === 'restricted' && edition === 'oss') {
    problems.push(
      "securityProfile: 'restricted' is not possible with the open-source edition: its server image runs as root " +
        "(entrypoint mode 744), which restricted-v2 does not admit; use 'anyuid' (the default) or the enterprise edition",
    );
  }

  const exposure = oneOf(
    input.exposure,
    'exposure',
    EXPOSURES,
    'route',
    problems,
  );
  const ingressClassName = optionalString(
    input.ingressClassName,
    'ingressClassName',
    problems,
  );
  const tlsSecretName = optionalString(
    input.tlsSecretName,
    'tlsSecretName',
    problems,
  );
  for (const [field, value] of [
    ['ingressClassName', ingressClassName],
    ['tlsSecretName', tlsSecretName],
  ] as const) {
    if (value === undefined) continue;
    if (exposure !== 'ingress') {
      problems.push(
        `${field}: is only used with exposure 'ingress' (exposure is '${exposure}')`,
      );
    } else if (!isDns1123Subdomain(value)) {
      problems.push(
        `${field}: must be a DNS-1123 subdomain (got ${JSON.stringify(value)})`,
      );
    }
  }

  const agentInput = optionalObject(input.agent, 'agent', problems);
  const agentEnabled = optionalBoolean(
    agentInput.enabled,
    'agent.enabled',
    problems,
  );
  const queue =
    optionalString(agentInput.queue, 'agent.queue', problems) ??
    DEFAULT_AGENT_QUEUE;
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(queue)) {
    problems.push(
      `agent.queue: must be 1-64 letters, digits, '_', '.' or '-', starting with a letter or digit (got ${JSON.stringify(queue)})`,
    );
  }

  const appGatewayInput = optionalObject(
    input.appGateway,
    'appGateway',
    problems,
  );
  const appGatewayEnabled = optionalBoolean(
    appGatewayInput.enabled,
    'appGateway.enabled',
    problems,
  );
  if (appGatewayEnabled && edition === 'oss') {
    problems.push(
      "appGateway.enabled: the app gateway is an enterprise component; it is not available with edition 'oss'",
    );
  }

  const elasticsearchSysctlInit = optionalBoolean(
    input.elasticsearchSysctlInit,
    'elasticsearchSysctlInit',
    problems,
  );

  const tiers = options.tiers?.length ? options.tiers : DEFAULT_TIERS;
  const tierName = optionalString(input.tier, 'tier', problems);
  const tier =
    tierName === undefined ? tiers[0] : tiers.find(t => t.name === tierName);
  if (!tier && tierName !== undefined) {
    problems.push(
      `tier: must be one of ${tiers.map(t => `'${t.name}'`).join(', ')} (the tiers in clearml.tiers; got ${JSON.stringify(tierName)})`,
    );
  }

  const storageClassName = optionalString(
    input.storageClassName,
    'storageClassName',
    problems,
  );
  if (storageClassName !== undefined && !isDns1123Subdomain(storageClassName)) {
    problems.push(
      `storageClassName: must be a StorageClass name, a DNS-1123 subdomain (got ${JSON.stringify(storageClassName)})`,
    );
  }

  const rawTargetPath =
    optionalString(input.targetPath, 'targetPath', problems) ?? '.';
  const targetPath = normaliseWorkspacePath(rawTargetPath);
  if (targetPath === undefined) {
    problems.push(
      `targetPath: ${WORKSPACE_PATH_RULE} (got ${JSON.stringify(rawTargetPath)})`,
    );
  }

  if (problems.length) {
    throw new InputError(
      `Invalid ClearML tenant request: ${problems.join('; ')}`,
    );
  }

  return {
    tenant: tenantName,
    namespace,
    domain: domain!,
    edition,
    releaseName,
    securityProfile,
    exposure,
    ...(ingressClassName ? { ingressClassName } : {}),
    ...(tlsSecretName ? { tlsSecretName } : {}),
    agent: { enabled: agentEnabled, queue },
    appGateway: { enabled: appGatewayEnabled },
    elasticsearchSysctlInit,
    tier: tier!,
    ...(storageClassName ? { storageClassName } : {}),
    targetPath: targetPath!,
  };
}
