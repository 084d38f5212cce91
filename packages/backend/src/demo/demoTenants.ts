/**
 * The local instance's demo cluster: two ClearML tenants on a cluster named
 * `demo`, as the Kubernetes API double serves them. `acme` runs; `vision` is
 * blocked by SCC (its webserver's ReplicaSet cannot create pods because the
 * account was never granted `anyuid`). The objects are built from the same
 * naming rules and failure signatures (docs/openshift-and-clearml.md) as the backend's tests, and
 * written to `cluster/*.yaml` by `generate.ts` (a test keeps them in step).
 */
import {
  CHART_DEFAULT_CREDENTIALS_SECRET,
  CLEARML_TENANT_RESOURCE_TYPE,
  DEFAULT_TIERS,
  defaultTenantDomain,
  TENANT_CREDENTIALS_SECRET,
  serverNames,
  sccRoleName,
  tenantEntityAnnotations,
  tenantUrls,
} from '@clearml-openshift/plugin-clearml-common';
import {
  FixtureTenant,
  KubeObject,
  apply,
  healthyTenantObjects,
  podsRefused,
  replicaSetSccRefusal,
} from '@internal/clearml-test-utils';
import {
  tenantLimitRange,
  tenantNetworkPolicies,
  tenantResourceQuota,
} from '@clearml-openshift/plugin-clearml-node';

/** The demo cluster's name (`clearml.clusters[].name`, `clear.ml/cluster`). */
export const DEMO_CLUSTER = 'demo';
/** The demo cluster's apps domain; tenant hosts are `*.<tenant>.clearml.<appsDomain>` (they do not resolve). */
export const DEMO_APPS_DOMAIN = 'apps.demo.example.com';

export interface DemoTenant extends FixtureTenant {
  tenant: string;
  description: string;
}

function demoTenant(tenant: string, description: string): DemoTenant {
  return {
    tenant,
    description,
    namespace: `clearml-${tenant}`,
    release: 'clearml',
    edition: 'oss',
    domain: defaultTenantDomain(tenant, DEMO_APPS_DOMAIN),
  };
}

export const DEMO_HEALTHY = demoTenant(
  'acme',
  'ClearML server of team Acme: every workload ready, every Route admitted.',
);
export const DEMO_BLOCKED = demoTenant(
  'vision',
  'ClearML server of team Vision: the webserver cannot start, its ServiceAccount was never granted anyuid.',
);
export const DEMO_TENANTS = [DEMO_HEALTHY, DEMO_BLOCKED];

/** The RoleBinding `oc adm policy add-scc-to-user anyuid -z <account> -n <ns>` leaves behind. */
function anyuidBinding(t: DemoTenant, accounts: string[]): KubeObject {
  const name = sccRoleName('anyuid');
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name, namespace: t.namespace },
    roleRef: {
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name,
    },
    subjects: accounts.map(account => ({
      kind: 'ServiceAccount',
      name: account,
      namespace: t.namespace,
    })),
  };
}

/**
 * What a merged pull request's isolation.yaml leaves in the namespace (small tier), with the quota's status as the
 * quota controller reports it for the running server.
 */
function isolationObjects(t: DemoTenant): KubeObject[] {
  const target = {
    tenant: t.tenant,
    namespace: t.namespace,
    edition: t.edition,
    release: t.release,
    appGateway: false,
  };
  const tier = DEFAULT_TIERS[0];
  const quota = tenantResourceQuota({ ...target, agent: false }, tier);
  return [
    ...(tenantNetworkPolicies(target) as KubeObject[]),
    {
      ...quota,
      status: {
        hard: quota.spec!.hard,
        used: {
          'requests.cpu': '1300m',
          'requests.memory': '3968Mi',
          'limits.cpu': '5500m',
          'limits.memory': '6144Mi',
          pods: '7',
          'requests.storage': '62Gi',
          persistentvolumeclaims: '4',
        },
      },
    } as KubeObject,
    tenantLimitRange(target, tier) as KubeObject,
  ];
}

/** The apiserver's token-signing secret read from `secret` (the chart's env, through secretKeyRef). */
function apiserverCredentials(
  objects: KubeObject[],
  t: DemoTenant,
  secret: string,
): KubeObject[] {
  const name = serverNames(t.edition, t.release).services.apiserver;
  return objects.map(o => {
    if (o.kind !== 'Deployment' || o.metadata.name !== name) return o;
    const copy = JSON.parse(JSON.stringify(o));
    copy.spec.template.spec.containers[0].env = [
      {
        name: 'CLEARML__secure__auth__token_secret',
        valueFrom: {
          secretKeyRef: { name: secret, key: 'secure_auth_token_secret' },
        },
      },
    ];
    return copy;
  });
}

/** The objects of each demo tenant, keyed by the tenant. */
export function demoTenantObjects(): Record<string, KubeObject[]> {
  const healthy = serverNames(DEMO_HEALTHY.edition, DEMO_HEALTHY.release);
  const blocked = serverNames(DEMO_BLOCKED.edition, DEMO_BLOCKED.release);
  const webserver = blocked.services.webserver;
  const webserverReplicaSet = healthyTenantObjects(DEMO_BLOCKED).find(
    o => o.kind === 'Pod' && o.metadata.name.startsWith(`${webserver}-`),
  )!.metadata.ownerReferences[0].name;
  const sa = (names: typeof healthy) => [
    names.serviceAccounts.apiserver,
    names.serviceAccounts.fileserver,
    names.serviceAccounts.webserver,
  ];
  return {
    // healthyTenantObjects starts with the tenant's labelled Namespace.
    // acme came from a merged pull request: isolated, on its own credentials.
    [DEMO_HEALTHY.tenant]: [
      ...apiserverCredentials(
        healthyTenantObjects(DEMO_HEALTHY),
        DEMO_HEALTHY,
        TENANT_CREDENTIALS_SECRET,
      ),
      anyuidBinding(DEMO_HEALTHY, sa(healthy)),
      ...isolationObjects(DEMO_HEALTHY),
    ],
    // vision was installed by hand before the template: no NetworkPolicies, no quota, the chart's default credentials.
    [DEMO_BLOCKED.tenant]: [
      ...apply(
        apiserverCredentials(
          healthyTenantObjects(DEMO_BLOCKED),
          DEMO_BLOCKED,
          CHART_DEFAULT_CREDENTIALS_SECRET,
        ),
        podsRefused(
          'Deployment',
          webserver,
          replicaSetSccRefusal(webserverReplicaSet),
        ),
      ),
      // apiserver and fileserver were granted; the webserver's account was forgotten.
      anyuidBinding(
        DEMO_BLOCKED,
        sa(blocked).filter(
          account => account !== blocked.serviceAccounts.webserver,
        ),
      ),
    ],
  };
}

/** The catalog entity of a demo tenant (the same annotations clearml:catalog-info:render writes). */
export function demoTenantEntity(t: DemoTenant, owner: string) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: t.tenant,
      title: `ClearML tenant ${t.tenant}`,
      description: t.description,
      annotations: tenantEntityAnnotations({
        cluster: DEMO_CLUSTER,
        namespace: t.namespace,
        release: t.release,
        edition: t.edition,
        tenant: t.tenant,
      }),
      links: [{ url: tenantUrls(t.domain).web, title: 'ClearML web UI' }],
      tags: ['clearml'],
    },
    spec: { type: CLEARML_TENANT_RESOURCE_TYPE, owner },
  };
}
