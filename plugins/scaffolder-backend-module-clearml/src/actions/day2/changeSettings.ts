/**
 * What a change may change, applied to the tenant's settings record. Empty (absent, '' or 'keep') keeps a setting.
 * What defines the tenant's identity or its data cannot change in place and is refused naming the field, with the
 * reason; the rules of each value (a tier clearml.tiers defines, a security profile the edition admits, the app
 * gateway only for enterprise) are the tenant model's, applied when the changed record is resolved and rendered.
 */
import { InputError } from '@backstage/errors';
import type { TenantSettings } from '@clearml-openshift/plugin-clearml-common';

/** Fields a change may never move, and why (the refusal's text). */
export const FIXED_TENANT_FIELDS = {
  tenant:
    'the tenant name names its namespace, GitOps directory, catalog entity and branches',
  releaseName:
    'Helm cannot rename a release: every object of the charts and its claims (the data) carry the name',
  namespace:
    'a namespace cannot be renamed, and its persistent volume claims hold the tenant’s data',
  edition:
    'the editions install different charts and images, and the open-source server data does not move to the enterprise one in place',
  cluster:
    'the data lives in persistent volumes of that cluster; moving means a new tenant there',
  domain:
    'the hosts are what every ClearML client, agent and stored artifact link points to',
} as const;

export type FixedTenantField = keyof typeof FIXED_TENANT_FIELDS;

/** Settings a change may move, in the order the pull request lists them. */
export const CHANGEABLE_TENANT_FIELDS = [
  'description',
  'agent.enabled',
  'agent.queue',
  'appGateway.enabled',
  'tier',
  'exposure',
  'ingressClassName',
  'tlsSecretName',
  'securityProfile',
] as const;

/** A switch of the form: keep it as it is, or turn it on or off. */
export const SWITCH_VALUES = ['keep', 'on', 'off'] as const;

export interface TenantChangeInput {
  description?: unknown;
  agent?: unknown;
  agentQueue?: unknown;
  appGateway?: unknown;
  tier?: unknown;
  exposure?: unknown;
  ingressClassName?: unknown;
  tlsSecretName?: unknown;
  securityProfile?: unknown;
  tenant?: unknown;
  releaseName?: unknown;
  namespace?: unknown;
  edition?: unknown;
  cluster?: unknown;
  domain?: unknown;
}

/** The inputs of the changeable settings, as the form names them. */
const INPUT_FIELDS = [
  'description',
  'agent',
  'agentQueue',
  'appGateway',
  'tier',
  'exposure',
  'ingressClassName',
  'tlsSecretName',
  'securityProfile',
] as const;

function given(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

function textField(
  input: TenantChangeInput,
  field: string,
): string | undefined {
  const value = (input as Record<string, unknown>)[field];
  if (!given(value)) return undefined;
  if (typeof value !== 'string')
    throw new InputError(
      `${field}: must be text (got ${JSON.stringify(value)})`,
    );
  return value;
}

function switchField(
  input: TenantChangeInput,
  field: 'agent' | 'appGateway',
): boolean | undefined {
  const value = input[field];
  if (!given(value) || value === 'keep') return undefined;
  if (value === 'on' || value === true) return true;
  if (value === 'off' || value === false) return false;
  throw new InputError(
    `${field}: must be one of ${SWITCH_VALUES.join(', ')} (got ${JSON.stringify(value)})`,
  );
}

/** The fixed fields a request names with another value than the tenant's: refused, with the reason. */
export function refuseFixedFieldChanges(
  current: TenantSettings,
  input: TenantChangeInput,
): void {
  for (const field of Object.keys(FIXED_TENANT_FIELDS) as FixedTenantField[]) {
    const value = input[field];
    if (!given(value) || value === current[field]) continue;
    throw new InputError(
      `${field}: cannot change in place (${JSON.stringify(current[field])} → ${JSON.stringify(value)}): ` +
        `${FIXED_TENANT_FIELDS[field]}. Create a new tenant with the new ${field} and retire this one once its ` +
        'users have moved; nothing was written',
    );
  }
}

/** The value of a changeable setting as the pull request shows it. */
export function settingValue(settings: TenantSettings, field: string): string {
  const value = field
    .split('.')
    .reduce<unknown>(
      (v, key) => (v as Record<string, unknown> | undefined)?.[key],
      settings,
    );
  return value === undefined || value === null ? '' : String(value);
}

/**
 * The settings after the change applied to `current` (the merged settings, or an open change's), and the changeable
 * fields that differ from `merged`. Refuses a fixed field changed, a request that changes nothing of `current`, and a
 * value that only applies with another setting (a queue without the agent, an IngressClass without ingress exposure).
 */
export function applyTenantChange(
  current: TenantSettings,
  input: TenantChangeInput,
  merged: TenantSettings = current,
): { next: TenantSettings; changed: string[] } {
  refuseFixedFieldChanges(current, input);
  const next: TenantSettings = {
    ...current,
    agent: { ...current.agent },
    appGateway: { ...current.appGateway },
  };
  const description = textField(input, 'description');
  if (description !== undefined) next.description = description;
  const agent = switchField(input, 'agent');
  if (agent !== undefined) next.agent.enabled = agent;
  const queue = textField(input, 'agentQueue');
  if (queue !== undefined) {
    if (!next.agent.enabled)
      throw new InputError(
        'agentQueue: applies only with the agent on (agent: on)',
      );
    next.agent.queue = queue;
  }
  const appGateway = switchField(input, 'appGateway');
  if (appGateway !== undefined) next.appGateway.enabled = appGateway;
  for (const field of ['tier', 'exposure', 'securityProfile'] as const) {
    const value = textField(input, field);
    if (value !== undefined)
      (next as unknown as Record<string, string>)[field] = value;
  }
  for (const field of ['ingressClassName', 'tlsSecretName'] as const) {
    const value = textField(input, field);
    if (value === undefined) continue;
    if (next.exposure !== 'ingress')
      throw new InputError(
        `${field}: applies only with exposure ingress (the tenant's is ${next.exposure})`,
      );
    next[field] = value;
  }
  // Routes have no IngressClass or TLS Secret of their own: leaving ingress drops them.
  if (next.exposure !== 'ingress') {
    delete next.ingressClassName;
    delete next.tlsSecretName;
  }
  const differs = (a: TenantSettings) =>
    CHANGEABLE_TENANT_FIELDS.filter(
      field => settingValue(a, field) !== settingValue(next, field),
    );
  if (!differs(current).length) {
    const named = INPUT_FIELDS.filter(
      f => given(input[f]) && input[f] !== 'keep',
    );
    throw new InputError(
      `${named[0] ?? 'entityRef'}: no change: ${
        named.length
          ? `${named.join(', ')} ${named.length === 1 ? 'is' : 'are'} already what ${current.tenant} has${
              current === merged ? '' : ' in its open change pull request'
            }`
          : 'every setting is left as it is'
      }; nothing was written`,
    );
  }
  return { next, changed: differs(merged) };
}
