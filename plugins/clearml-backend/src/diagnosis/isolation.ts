/**
 * The tenant's isolation as the cluster holds it: the NetworkPolicies the
 * pull request renders (recomputed from the entity's annotations by the same
 * renderer) against the ones in the namespace, the ResourceQuota's used/hard,
 * and whether the API server's credentials come from the chart's public
 * default Secret. The credentials are told from the Deployment's Secret
 * reference only: no Secret is read, no key is tried.
 */
import {
  CHART_DEFAULT_CREDENTIALS_SECRET,
  HealthProblem,
  QUOTA_SHOWN,
  serverNames,
  TENANT_QUOTA_NAME,
  TenantIsolation,
} from '@clearml-openshift/plugin-clearml-common';
import { tenantNetworkPolicies } from '@clearml-openshift/plugin-clearml-node';
import type { HealthTarget } from '../target/healthTarget';
import type { NamespaceObjects } from '../kubernetes/objects';

/** The environment variable through which the API server gets its token-signing secret (clearml chart). */
const TOKEN_SECRET_ENV = 'clearml__secure__auth__token_secret';

/** JSON with sorted keys and no undefined values: two specs equal as the API compares them. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .filter(k => v[k] !== undefined)
            .map(k => [k, v[k]]),
        )
      : v,
  );
}

/** The Secret the API server's token-signing secret comes from, read from its Deployment's env. */
export function credentialsSecretOf(
  target: HealthTarget,
  objects: NamespaceObjects,
): string | undefined {
  const name = serverNames(target.edition, target.release).services.apiserver;
  const deployment = objects.deployments.find(d => d.metadata?.name === name);
  for (const container of deployment?.spec?.template?.spec?.containers ?? []) {
    for (const env of container.env ?? []) {
      if (env.name?.toLowerCase() === TOKEN_SECRET_ENV)
        return env.valueFrom?.secretKeyRef?.name;
    }
  }
  return undefined;
}

const FIX =
  "Merge the tenant's GitOps pull request (its isolation.yaml carries them), or re-run the New ClearML tenant template for this tenant: it adds them through a new pull request";

export function diagnoseIsolation(
  target: HealthTarget,
  objects: NamespaceObjects,
): TenantIsolation {
  const expected = tenantNetworkPolicies({
    tenant: target.tenant ?? '',
    namespace: target.namespace,
    edition: target.edition,
    release: target.release,
    appGateway: target.appGateway?.namespace === target.namespace,
  });
  const present = new Map(
    objects.networkPolicies.map(p => [p.metadata?.name, p]),
  );
  const matching: string[] = [];
  const missing: string[] = [];
  const changed: string[] = [];
  for (const policy of expected) {
    const found = present.get(policy.metadata.name);
    if (!found) missing.push(policy.metadata.name);
    else if (canonical(found.spec) !== canonical(policy.spec))
      changed.push(policy.metadata.name);
    else matching.push(policy.metadata.name);
  }
  const problems: HealthProblem[] = [];
  if (objects.isolationError) {
    return {
      networkPolicies: {
        expected: expected.map(p => p.metadata.name),
        matching: [],
        missing: [],
        changed: [],
      },
      credentials: 'unknown',
      problems: [],
      unavailable: objects.isolationError,
    };
  }
  if (missing.length === expected.length) {
    problems.push({
      severity: 'warning',
      reason: 'NotIsolated',
      message: `Namespace ${target.namespace} has none of the tenant's NetworkPolicies: any pod of the cluster, another tenant's task pods included, can reach its MongoDB, Redis and Elasticsearch, which run without authentication`,
      hint: FIX,
    });
  } else if (missing.length) {
    problems.push({
      severity: 'warning',
      reason: 'NetworkPoliciesMissing',
      message: `NetworkPolicies missing in ${target.namespace}: ${missing.join(', ')}`,
      hint: FIX,
    });
  }
  if (changed.length) {
    problems.push({
      severity: 'warning',
      reason: 'NetworkPoliciesChanged',
      message: `NetworkPolicies that differ from what the pull request rendered: ${changed.join(', ')}`,
      hint: 'Argo CD self-heal restores them; otherwise sync the server Application, or re-run the template if the change was meant',
    });
  }
  const quotaObject = objects.resourceQuotas.find(
    q => q.metadata?.name === TENANT_QUOTA_NAME,
  );
  if (!quotaObject) {
    problems.push({
      severity: 'warning',
      reason: 'NoResourceQuota',
      message: `Namespace ${target.namespace} has no ResourceQuota ${TENANT_QUOTA_NAME}: the tenant's task pods can take the cluster's nodes`,
      hint: FIX,
    });
  }
  const quota = quotaObject && {
    name: TENANT_QUOTA_NAME,
    resources: QUOTA_SHOWN.map(({ key, label }) => ({
      key,
      label,
      used: quotaObject.status?.used?.[key],
      hard: quotaObject.status?.hard?.[key] ?? quotaObject.spec?.hard?.[key],
    })),
  };
  const credentialsSecret = credentialsSecretOf(target, objects);
  let credentials: 'unknown' | 'chart-default' | 'tenant' = 'tenant';
  if (credentialsSecret === undefined) credentials = 'unknown';
  else if (credentialsSecret === CHART_DEFAULT_CREDENTIALS_SECRET)
    credentials = 'chart-default';
  if (credentials === 'chart-default') {
    problems.push({
      severity: 'warning',
      reason: 'DefaultCredentials',
      message: `The API server signs tokens with the chart's public default secret (Secret ${CHART_DEFAULT_CREDENTIALS_SECRET}, whose keys are published in the chart's values.yaml): a token minted by any tenant on these defaults is valid here`,
      hint: "Give the server the tenant's own Secret (clearml.existingSecret): re-run the template, whose pull request references it",
    });
  }
  return {
    networkPolicies: {
      expected: expected.map(p => p.metadata.name),
      matching,
      missing,
      changed,
    },
    ...(quota ? { quota } : {}),
    credentials,
    ...(credentialsSecret ? { credentialsSecret } : {}),
    problems,
  };
}
