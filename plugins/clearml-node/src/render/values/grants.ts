/**
 * The SCC grants a tenant needs: the one list the values files, the PR
 * summary, the `clearml:scc:grant` step and the docs all use.
 *
 * Computed from the edition, release, profile and the values actually rendered,
 * never copied from Red Hat's blog post (whose `anyuid` to `default` and `privileged` to
 * Elasticsearch name an older chart's accounts and grant far too much):
 *
 * | edition    | profile    | grants |
 * |------------|------------|--------|
 * | oss        | anyuid     | `anyuid` to the three core accounts (root image); dependencies run under restricted-v2 with nulled IDs |
 * | oss        | nonroot    | `anyuid` to the core accounts (nothing else admits a root image); `nonroot-v2` to mongodb, redis, elasticsearch (pinned UIDs kept) |
 * | enterprise | restricted | none (ClearML's OpenShift guide's contexts) |
 * | enterprise | nonroot    | `nonroot-v2` to the core accounts (images run as UID 65532) |
 * | enterprise | anyuid     | `anyuid` to the core accounts |
 *
 * plus, with the agent, its ServiceAccount (`anyuid` for oss: task images run as
 * root; the profile's SCC for enterprise), and with `elasticsearchSysctlInit`
 * `privileged` to the Elasticsearch account (in place of its `nonroot-v2`).
 * Never `default`; `privileged` only on request.
 */
import {
  agentNames,
  serverNames,
  SccGrant,
  SERVER_COMPONENTS,
  Tenant,
} from '@clearml-openshift/plugin-clearml-common';

/**
 * The SCC names this product grants.
 *
 * @public
 */
export const SCC = {
  anyuid: 'anyuid',
  nonroot: 'nonroot-v2',
  privileged: 'privileged',
} as const;

/** True when the open-source dependencies keep their pinned UIDs (and get `nonroot-v2`) instead of nulled ones. */
export function dependenciesKeepPinnedIds(tenant: Tenant): boolean {
  return tenant.edition === 'oss' && tenant.securityProfile === 'nonroot';
}

function coreGrants(tenant: Tenant): SccGrant[] {
  const accounts = serverNames(
    tenant.edition,
    tenant.releaseName,
  ).serviceAccounts;
  return SERVER_COMPONENTS.flatMap((component): SccGrant[] => {
    const serviceAccount = accounts[component];
    if (tenant.edition === 'oss') {
      const beyond =
        tenant.securityProfile === 'nonroot'
          ? ' nonroot-v2 does not admit a root image either, so anyuid stays.'
          : '';
      return [
        {
          scc: SCC.anyuid,
          serviceAccount,
          reason:
            `The open-source ClearML ${component} image runs as root and its entrypoint is mode 744 (owner-only execute); ` +
            `restricted-v2 would start it with a random UID that cannot run it.${beyond}`,
        },
      ];
    }
    if (tenant.securityProfile === 'nonroot') {
      return [
        {
          scc: SCC.nonroot,
          serviceAccount,
          reason: `The enterprise ${component} image runs as the fixed non-root UID 65532; ClearML recommends nonroot-v2, which admits it without a root grant.`,
        },
      ];
    }
    if (tenant.securityProfile === 'anyuid') {
      return [
        {
          scc: SCC.anyuid,
          serviceAccount,
          reason: `Security profile anyuid: the enterprise ${component} runs as its image's own user. ClearML's OpenShift guide's contexts would run it under restricted-v2 with no grant; prefer 'restricted' or 'nonroot'.`,
        },
      ];
    }
    return [];
  });
}

function dependencyGrants(tenant: Tenant): SccGrant[] {
  const names = serverNames(tenant.edition, tenant.releaseName);
  const grants: SccGrant[] = [];
  if (dependenciesKeepPinnedIds(tenant)) {
    grants.push(
      {
        scc: SCC.nonroot,
        serviceAccount: names.mongodb.serviceAccount,
        reason:
          'MongoDB (Bitnami chart) pins UID 1001 and fsGroup 1001; nonroot-v2 admits that non-root UID without anyuid.',
      },
      {
        scc: SCC.nonroot,
        serviceAccount: names.redis.serviceAccount,
        reason:
          'Redis (Bitnami chart) pins UID 1001 and fsGroup 1001; nonroot-v2 admits that non-root UID without anyuid.',
      },
    );
    if (!tenant.elasticsearchSysctlInit) {
      grants.push({
        scc: SCC.nonroot,
        serviceAccount: names.elasticsearch.serviceAccount,
        reason:
          'Elasticsearch pins UID 1000 and fsGroup 1000; nonroot-v2 admits that non-root UID. The account exists because elasticsearch.rbac.create is true.',
      });
    }
  }
  if (tenant.elasticsearchSysctlInit) {
    grants.push({
      scc: SCC.privileged,
      serviceAccount: names.elasticsearch.serviceAccount,
      reason:
        "elasticsearchSysctlInit is on (Red Hat's blog post's way): the chart's init container runs privileged as root to set vm.max_map_count=262144 on the node. " +
        'Any pod under this account may then run privileged on the node; the default (init container off, node.store.allow_mmap: false) needs no grant.',
    });
  }
  return grants;
}

function agentGrants(tenant: Tenant): SccGrant[] {
  if (!tenant.agent.enabled) return [];
  const serviceAccount = agentNames(
    tenant.edition,
    tenant.releaseName,
  ).serviceAccount;
  if (tenant.edition === 'oss') {
    return [
      {
        scc: SCC.anyuid,
        serviceAccount,
        reason:
          'The k8s glue agent and every task pod it starts run as this account; task images are arbitrary and usually run as root (the chart default is ubuntu:18.04), which only anyuid admits.',
      },
    ];
  }
  if (tenant.securityProfile === 'nonroot') {
    return [
      {
        scc: SCC.nonroot,
        serviceAccount,
        reason:
          'The enterprise agent image runs as the fixed non-root UID 65532; ClearML recommends nonroot-v2. Task pods use this account too and must run non-root.',
      },
    ];
  }
  if (tenant.securityProfile === 'anyuid') {
    return [
      {
        scc: SCC.anyuid,
        serviceAccount,
        reason:
          "Security profile anyuid: the agent and its task pods run as their images' own users, root included.",
      },
    ];
  }
  return [];
}

/**
 * Every SCC grant the tenant's rendered values rely on, core first, then dependencies, then the agent.
 *
 * @public
 */
export function sccGrantsForTenant(tenant: Tenant): SccGrant[] {
  return [
    ...coreGrants(tenant),
    ...dependencyGrants(tenant),
    ...agentGrants(tenant),
  ];
}
