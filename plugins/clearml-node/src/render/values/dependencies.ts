/**
 * Values of the server chart's dependencies: redis, mongodb (Bitnami) and
 * elasticsearch (Elastic). Either their pinned IDs are nulled as ClearML's OpenShift guide does,
 * so `restricted-v2` admits them with no grant, or (oss + `nonroot`) the chart's
 * pinned non-root UIDs are kept and `nonroot-v2` granted (see grants.ts).
 */
import { serverNames, Tenant } from '@clearml-openshift/plugin-clearml-common';
import { ValuesPart, Values } from './files';
import { dependenciesKeepPinnedIds, sccGrantsForTenant } from './grants';
import { unpinnedContainerContext } from './securityContexts';

/**
 * The chart's whole `elasticsearch.yml` is replaced, so its one line comes
 * along. Without mmap, Elasticsearch skips its `vm.max_map_count` bootstrap
 * check and needs no privileged init container on the node.
 */
export const ELASTICSEARCH_YML_WITHOUT_MMAP =
  'xpack.security.enabled: false\nnode.store.allow_mmap: false\n';

function redisValues(tenant: Tenant): Values | undefined {
  if (dependenciesKeepPinnedIds(tenant)) return undefined;
  return {
    master: {
      podSecurityContext: { fsGroup: null },
      containerSecurityContext: unpinnedContainerContext('uidFirst'),
    },
  };
}

function mongodbValues(tenant: Tenant): Values | undefined {
  if (dependenciesKeepPinnedIds(tenant)) return undefined;
  return {
    podSecurityContext: { fsGroup: null },
    containerSecurityContext: {
      enabled: true,
      ...unpinnedContainerContext('uidFirst'),
    },
  };
}

function elasticsearchValues(tenant: Tenant): Values {
  const account = serverNames(tenant.edition, tenant.releaseName).elasticsearch
    .serviceAccount;
  const granted = sccGrantsForTenant(tenant).some(
    g => g.serviceAccount === account,
  );
  return {
    // A grant needs the account to exist; it does only with rbac.create (the oss chart's default, stated here).
    ...(granted ? { rbac: { create: true } } : {}),
    sysctlInitContainer: { enabled: tenant.elasticsearchSysctlInit },
    ...(tenant.elasticsearchSysctlInit
      ? {}
      : { esConfig: { 'elasticsearch.yml': ELASTICSEARCH_YML_WITHOUT_MMAP } }),
    ...(dependenciesKeepPinnedIds(tenant)
      ? {}
      : {
          podSecurityContext: { fsGroup: null, runAsUser: null },
          securityContext: unpinnedContainerContext('uidLast'),
        }),
  };
}

/** `redis`, `mongodb` and `elasticsearch` sections of the server values, and their departures from the docs. */
export function dependencyValues(tenant: Tenant): ValuesPart {
  const names = serverNames(tenant.edition, tenant.releaseName);
  const redis = redisValues(tenant);
  const mongodb = mongodbValues(tenant);
  const deviations: string[] = [];
  if (tenant.edition === 'oss') {
    deviations.push(
      dependenciesKeepPinnedIds(tenant)
        ? `mongodb, redis and elasticsearch keep their pinned non-root UIDs (1001/1001/1000) and get nonroot-v2 (${names.mongodb.serviceAccount}, ${names.redis.serviceAccount}, ${names.elasticsearch.serviceAccount}) instead of the anyuid of Red Hat's blog post`
        : "mongodb, redis and elasticsearch get the security contexts of ClearML's OpenShift guide (pinned UIDs and fsGroups set to null, non-root, drop ALL, seccomp RuntimeDefault) so restricted-v2 admits them with no grant, instead of the anyuid grants of Red Hat's blog post",
    );
  }
  deviations.push(
    tenant.elasticsearchSysctlInit
      ? `elasticsearch keeps the chart's privileged sysctl init container (elasticsearchSysctlInit: true, as Red Hat's blog post does) and its account ${names.elasticsearch.serviceAccount} is granted privileged; ClearML's OpenShift guide disables it`
      : "elasticsearch: sysctl init container disabled (as in ClearML's OpenShift guide) and node.store.allow_mmap: false added to elasticsearch.yml, so Elasticsearch starts without vm.max_map_count=262144 on the node instead of failing its bootstrap check (the guide omits this); the cost is the slower niofs store instead of mmap",
  );
  return {
    values: {
      ...(redis ? { redis } : {}),
      ...(mongodb ? { mongodb } : {}),
      elasticsearch: elasticsearchValues(tenant),
    },
    deviations,
  };
}
