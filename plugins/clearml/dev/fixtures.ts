/**
 * Tenants and health reports for the dev app and the tests. Names, hosts and
 * URLs come from clearml-common's rules, so they match what the charts and
 * the backend produce; only the cluster's answers are made up.
 */
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import {
  agentNames,
  appGatewayNames,
  appGatewayRouteHost,
  CLEARML_TENANT_RESOURCE_TYPE,
  ClusterSummary,
  ComponentHealth,
  defaultTenantDomain,
  FleetTenant,
  Edition,
  serverNames,
  ServerComponent,
  sccRoleName,
  tenantEntityAnnotations,
  tenantHosts,
  TenantHealth,
  worstStatus,
} from '@clearml-openshift/plugin-clearml-common';
import type { ClearmlApi } from '../src/api';

const APPS_DOMAIN = 'apps.ocp-prod.example.com';
const RELEASE = 'clearml';

interface FixtureTenant {
  tenant: string;
  cluster: string;
  namespace: string;
  edition: Edition;
  domain: string;
  appGatewayNamespace?: string;
}

/** Open-source tenant with a k8s glue agent. */
export const acmeTenant: FixtureTenant = {
  tenant: 'acme',
  cluster: 'ocp-prod',
  namespace: 'clearml-acme',
  edition: 'oss',
  domain: defaultTenantDomain('acme', APPS_DOMAIN),
};

/** Enterprise tenant whose app gateway runs in its own namespace, as in ClearML's OpenShift guide. */
export const visionTenant: FixtureTenant = {
  tenant: 'vision',
  cluster: 'ocp-prod',
  namespace: 'clearml-vision',
  edition: 'enterprise',
  domain: defaultTenantDomain('vision', APPS_DOMAIN),
  appGatewayNamespace: 'clearml-vision-apps',
};

/** Tenant on a cluster that does not answer. */
export const orbitTenant: FixtureTenant = {
  tenant: 'orbit',
  cluster: 'ocp-lab',
  namespace: 'clearml-orbit',
  edition: 'oss',
  domain: defaultTenantDomain('orbit', 'apps.ocp-lab.example.com'),
};

export function tenantEntity(t: FixtureTenant): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: t.tenant,
      namespace: 'default',
      title: `ClearML ${t.tenant}`,
      annotations: tenantEntityAnnotations({
        cluster: t.cluster,
        namespace: t.namespace,
        release: RELEASE,
        edition: t.edition,
        tenant: t.tenant,
        appGateway: t.appGatewayNamespace
          ? {
              namespace: t.appGatewayNamespace,
              release: appGatewayNames(RELEASE).release,
            }
          : undefined,
      }),
    },
    spec: {
      type: CLEARML_TENANT_RESOURCE_TYPE,
      owner: 'group:default/ml-platform',
    },
  };
}

/** A Resource that is not a ClearML tenant: no `clear.ml/*` annotations. */
export const entityWithoutAnnotations: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name: 'shared-postgres', namespace: 'default' },
  spec: { type: 'database', owner: 'group:default/ml-platform' },
};

const SERVER_HOST_KEY: Record<ServerComponent, 'api' | 'files' | 'web'> = {
  apiserver: 'api',
  fileserver: 'files',
  webserver: 'web',
};

/** The Route and endpoint probe a server component has when all is well. */
function exposedServer(
  t: FixtureTenant,
  id: ServerComponent,
  latencyMs: number,
): ComponentHealth {
  const names = serverNames(t.edition, RELEASE);
  const host = tenantHosts(t.domain)[SERVER_HOST_KEY[id]];
  const probePath = id === 'apiserver' ? '/debug.ping' : '/';
  return {
    id,
    group: 'server',
    status: 'healthy',
    workload: {
      kind: 'Deployment',
      name: names.services[id],
      ready: 1,
      desired: 1,
    },
    route: {
      name: names.services[id],
      host,
      url: `https://${host}`,
      admitted: true,
    },
    endpoint: {
      url: `https://${host}${probePath}`,
      ok: true,
      httpStatus: 200,
      latencyMs,
    },
    problems: [],
  };
}

function healthyComponents(t: FixtureTenant): ComponentHealth[] {
  const names = serverNames(t.edition, RELEASE);
  const ready = (
    id: ComponentHealth['id'],
    group: ComponentHealth['group'],
    kind: 'Deployment' | 'StatefulSet',
    name: string,
  ): ComponentHealth => ({
    id,
    group,
    status: 'healthy',
    workload: { kind, name, ready: 1, desired: 1 },
    problems: [],
  });
  return [
    exposedServer(t, 'apiserver', 38),
    exposedServer(t, 'fileserver', 21),
    exposedServer(t, 'webserver', 17),
    ready('asyncdelete', 'server', 'Deployment', names.asyncDelete),
    ready('mongodb', 'dependency', 'Deployment', names.mongodb.deployment),
    ready('redis', 'dependency', 'StatefulSet', names.redis.statefulSet),
    ready(
      'elasticsearch',
      'dependency',
      'StatefulSet',
      names.elasticsearch.statefulSet,
    ),
  ];
}

function report(
  t: FixtureTenant,
  components: ComponentHealth[],
  checkedAt: Date,
): TenantHealth {
  return {
    entityRef: stringifyEntityRef(tenantEntity(t)),
    cluster: t.cluster,
    namespace: t.namespace,
    checkedAt: checkedAt.toISOString(),
    status: worstStatus(components.map(c => c.status)),
    components,
  };
}

/** acme: every component ready, every Route admitted, every endpoint answering. */
export function healthyReport(checkedAt: Date = new Date()): TenantHealth {
  const agent = agentNames(acmeTenant.edition, RELEASE);
  return report(
    acmeTenant,
    [
      ...healthyComponents(acmeTenant),
      {
        id: 'agent',
        group: 'agent',
        status: 'healthy',
        workload: {
          kind: 'Deployment',
          name: agent.deployment,
          ready: 1,
          desired: 1,
        },
        problems: [],
      },
    ],
    checkedAt,
  );
}

/** acme, degraded: everything runs, but another namespace already claims the file server's host. */
export function degradedReport(checkedAt: Date = new Date()): TenantHealth {
  const healthy = healthyReport(checkedAt);
  const components = healthy.components.map((c): ComponentHealth => {
    if (c.id !== 'fileserver' || !c.route) {
      return c;
    }
    const message = `route ${c.route.name} in ${acmeTenant.namespace} could not be admitted: host ${c.route.host} is already claimed by a route in namespace clearml-acme-old`;
    return {
      ...c,
      status: 'degraded',
      route: {
        ...c.route,
        admitted: false,
        reason: 'HostAlreadyClaimed',
        message,
      },
      endpoint: {
        url: `https://${c.route.host}/`,
        ok: false,
        httpStatus: 503,
        latencyMs: 9,
      },
      problems: [
        {
          severity: 'error',
          reason: 'HostAlreadyClaimed',
          message,
          hint: `The oldest Route for a host wins. Delete the Route for ${c.route.host} in clearml-acme-old, or give this tenant another domain.`,
        },
      ],
    };
  });
  return report(acmeTenant, components, checkedAt);
}

/**
 * vision, broken: the web server's pods are refused by every SCC (its account
 * was never granted anyuid), and the cluster's routers do not admit the app
 * gateway's wildcard Route.
 */
export function brokenReport(checkedAt: Date = new Date()): TenantHealth {
  const t = visionTenant;
  const names = serverNames(t.edition, RELEASE);
  const gateway = appGatewayNames(RELEASE);
  const webserverAccount = names.serviceAccounts.webserver;
  const gatewayHost = appGatewayRouteHost(t.domain);
  const components = healthyComponents(t).map((c): ComponentHealth => {
    if (c.id !== 'webserver' || !c.route) {
      return c;
    }
    return {
      ...c,
      status: 'down',
      workload: {
        kind: 'Deployment',
        name: names.services.webserver,
        ready: 0,
        desired: 1,
      },
      endpoint: {
        url: `https://${c.route.host}/`,
        ok: false,
        httpStatus: 503,
        latencyMs: 12,
      },
      problems: [
        {
          severity: 'error',
          reason: 'SCCForbidden',
          message: `Deployment ${names.services.webserver} cannot create pod ${names.services.webserver}-6d5f7c9b8-: no security context constraint usable by ServiceAccount ${webserverAccount} admits it (ReplicaSet event FailedCreate: provider "anyuid": Forbidden: not usable by user or serviceaccount; restricted-v2: .containers[0].runAsUser: Invalid value: 0: must be in the ranges: [1000710000, 1000719999])`,
          hint: `Grant anyuid to ServiceAccount ${webserverAccount} in ${t.namespace} (oc adm policy add-scc-to-user anyuid -z ${webserverAccount} -n ${t.namespace}, which adds it to RoleBinding ${sccRoleName('anyuid')}), or re-run the ClearML tenant template with grants applied.`,
        },
        {
          severity: 'error',
          reason: 'EndpointError',
          message: `https://${c.route.host}/ answered HTTP 503`,
          hint: "The router has no ready endpoint for this Route: check the pods are ready and that the Route's targetPort is the container's port.",
        },
      ],
    };
  });
  components.push({
    id: 'app-gateway',
    group: 'app-gateway',
    status: 'degraded',
    workload: {
      kind: 'Deployment',
      name: gateway.service,
      ready: 1,
      desired: 1,
    },
    route: {
      name: gateway.service,
      host: gatewayHost,
      url: `https://${gatewayHost}`,
      admitted: false,
      reason: 'RouteNotAdmitted',
      message: 'wildcard routes are not allowed',
    },
    problems: [
      {
        severity: 'error',
        reason: 'RouteNotAdmitted',
        message: `Route ${gateway.service} in ${t.appGatewayNamespace} (host ${gatewayHost}, wildcardPolicy Subdomain) was not admitted by router default: wildcard routes are not allowed`,
        hint: `Ask the cluster administrators to allow wildcard Routes on the IngressController: spec.routeAdmission.wildcardPolicy: WildcardsAllowed (oc -n openshift-ingress-operator patch ingresscontroller/default --type=merge -p '{"spec":{"routeAdmission":{"wildcardPolicy":"WildcardsAllowed"}}}'). The Route itself needs no change.`,
      },
    ],
  });
  return report(t, components, checkedAt);
}

/** orbit: the cluster's API server did not answer; like the backend, every component is unknown with the same problem. */
export function unreachableReport(checkedAt: Date = new Date()): TenantHealth {
  const problem = {
    severity: 'error' as const,
    reason: 'ClusterUnreachable',
    message: "The tenant's state is unknown: connect ETIMEDOUT 10.20.0.10:6443",
    hint: 'Check the API server URL, the network path from Backstage and the CA (caData/caFile) in app-config.',
  };
  const components = healthyComponents(orbitTenant).map(
    ({ id, group }): ComponentHealth => ({
      id,
      group,
      status: 'unknown',
      problems: [problem],
    }),
  );
  return report(orbitTenant, components, checkedAt);
}

/**
 * nova: a new tenant whose pull request waits for review. Nothing is deployed yet, which is expected: the tenant is
 * progressing, its stages say where it is, and the one the card could not read says why.
 */
export function inReviewReport(checkedAt: Date = new Date()): TenantHealth {
  const nova: FixtureTenant = {
    ...acmeTenant,
    tenant: 'nova',
    namespace: 'clearml-nova',
  };
  const components = healthyComponents(nova).map(
    ({ id, group }): ComponentHealth => ({
      id,
      group,
      status: 'progressing',
      problems: [
        {
          severity: 'warning',
          reason: 'WorkloadNotFound',
          message: `Not in namespace clearml-nova yet (waiting for review)`,
        },
      ],
    }),
  );
  return {
    ...report(nova, components, checkedAt),
    status: 'progressing',
    statusReason: 'Waiting for review: Pull request #42 waiting for review',
    lifecycle: {
      current: 'pullRequest',
      stages: [
        { id: 'request', state: 'done', summary: 'Requested in Backstage' },
        {
          id: 'pullRequest',
          state: 'active',
          summary: 'Pull request #42 waiting for review',
          url: 'https://github.com/platform/gitops/pull/42',
        },
        {
          id: 'sync',
          state: 'unknown',
          summary: 'Sync unknown',
          unavailable:
            'The read-only token may not list Argo CD Applications in openshift-gitops',
        },
        { id: 'rollout', state: 'pending', summary: 'Waits for the merge' },
      ],
    },
  };
}

/** The fleet row of a report, as `GET /v1/tenants` builds it. */
export function fleetRow(
  health: TenantHealth,
  owner = 'group:default/ml-platform',
): FleetTenant {
  const current = health.lifecycle?.stages.find(
    s => s.id === health.lifecycle?.current,
  );
  return {
    entityRef: health.entityRef,
    title: health.entityRef.split('/').pop()!,
    owner,
    cluster: health.cluster,
    namespace: health.namespace,
    edition: 'oss',
    status: health.status,
    ...(health.statusReason ? { statusReason: health.statusReason } : {}),
    ...(current ? { stage: current.id, stageSummary: current.summary } : {}),
    checkedAt: health.checkedAt,
    ...(health.charts ? { charts: health.charts } : {}),
  };
}

/**
 * A ClearmlApi that answers from the fixtures, for the dev app (no backend
 * needed). Each call builds a fresh report, so "checked …" moves on refresh.
 */
export class FixtureClearmlApi implements ClearmlApi {
  private readonly reports: Record<string, () => TenantHealth>;

  constructor(
    reports: Record<string, () => TenantHealth>,
    private readonly delayMs = 400,
  ) {
    this.reports = reports;
  }

  async getTenantHealth(entityRef: string): Promise<TenantHealth> {
    await new Promise(resolve => setTimeout(resolve, this.delayMs));
    const build = this.reports[entityRef];
    if (!build) {
      throw new NotFoundError(`No ClearML tenant entity ${entityRef}`);
    }
    return build();
  }

  /** The fixtures' tenants' cluster, for the template's cluster picker. */
  async getClusters(): Promise<ClusterSummary[]> {
    await new Promise(resolve => setTimeout(resolve, this.delayMs));
    return [
      {
        name: acmeTenant.cluster,
        appsDomain: 'apps.ocp-prod.example.com',
        canGrant: true,
      },
    ];
  }

  /** Every fixture tenant as a fleet row. */
  async getTenants(): Promise<FleetTenant[]> {
    await new Promise(resolve => setTimeout(resolve, this.delayMs));
    return Object.values(this.reports).map(build => fleetRow(build()));
  }
}
