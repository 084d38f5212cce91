/**
 * The tenant request shared by the render actions: its fields, defaults and
 * rules, validated in one place. Every refusal names the field and the rule.
 */
import { InputError } from '@backstage/errors';
import { isDns1123Label, isDns1123Subdomain } from './dns';
import {
  optionalBoolean,
  optionalObject,
  optionalString,
  oneOf,
  Problems,
} from './fieldReaders';
import {
  EDITIONS,
  EXPOSURES,
  SECURITY_PROFILES,
  defaultSecurityProfile,
} from './editions';
import { tenantDomainProblem } from './hosts';
import { tenantNameProblem } from './tenantName';
import { chooseTier, isTierName, TIER_NAME_RULE } from './tierConfig';
import { namespaceNameProblem } from './tenantNamespace';
import { SizeTier } from './tiers';
import { normaliseWorkspacePath, WORKSPACE_PATH_RULE } from './workspacePath';
import type { Tenant, TenantInput } from './tenantTypes';

export type { Tenant, TenantInput } from './tenantTypes';

/** Helm refuses release names longer than 53 characters. */
export const RELEASE_NAME_MAX_LENGTH = 53;
/** @public */
export const DEFAULT_RELEASE_NAME = 'clearml';
export const DEFAULT_AGENT_QUEUE = 'default';

/**
 * The default namespace of a tenant.
 *
 * @public
 */
export function defaultNamespace(tenant: string): string {
  return `clearml-${tenant}`;
}

/**
 * What the rules of a tenant request depend on.
 *
 * @public
 */
export interface TenantRuleOptions {
  domain?: 'required' | 'ignored';
  /** The platform's tiers (`clearml.tiers`); the first is the default. */
  tiers?: readonly SizeTier[];
}

/**
 * Validates a tenant request and applies the defaults of the tenant model.
 * Throws one `InputError` that lists every bad field and its rule.
 *
 * @public
 */
export function resolveTenant(
  input: TenantInput,
  options: TenantRuleOptions = {},
): Tenant {
  const { tenant, problems } = checkTenantInput(input, options);
  if (problems.length) {
    throw new InputError(
      `Invalid ClearML tenant request: ${problems.join('; ')}`,
    );
  }
  return tenant as Tenant;
}

/**
 * Every rule `resolveTenant` applies, as problems each naming its field. With `tiers: 'anyName'` the tier is only
 * checked to be a tier name: a record read without config is checked against `clearml.tiers` when it is resolved.
 *
 * @public
 */
export function tenantInputProblems(
  input: TenantInput,
  options: { tiers: 'anyName' } | TenantRuleOptions = {},
): string[] {
  return checkTenantInput(input, options).problems;
}

function checkTenantInput(
  input: TenantInput,
  options: { tiers: 'anyName' } | TenantRuleOptions,
): { tenant: Omit<Tenant, 'tier'> & { tier?: SizeTier }; problems: string[] } {
  const domainRule = 'domain' in options ? options.domain : undefined;
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
    const namespaceProblem = namespaceNameProblem(namespace);
    if (namespaceProblem) problems.push(namespaceProblem);
  }

  // The grant action needs the tenant's grants, not its hosts: it resolves the tenant without a domain.
  const domain =
    domainRule === 'ignored'
      ? ''
      : optionalString(input.domain, 'domain', problems);
  if (domainRule === 'ignored') {
    // nothing to check
  } else if (domain === undefined) {
    if (!problems.some(p => p.startsWith('domain:')))
      problems.push('domain: is required');
  } else {
    const domainProblem = tenantDomainProblem(domain);
    if (domainProblem) problems.push(domainProblem);
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

  const tierName = optionalString(input.tier, 'tier', problems);
  let tier: SizeTier | undefined;
  if (options.tiers !== 'anyName') {
    tier = chooseTier(options.tiers, tierName, problems);
  } else if (tierName !== undefined && !isTierName(tierName)) {
    problems.push(`tier: ${TIER_NAME_RULE} (got ${JSON.stringify(tierName)})`);
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

  const resolved = {
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
    tier,
    ...(storageClassName ? { storageClassName } : {}),
    targetPath: targetPath!,
  };
  return { tenant: resolved, problems };
}
