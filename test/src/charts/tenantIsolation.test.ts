/**
 * The tenant's isolation, proven on what Argo CD really applies: the public
 * charts rendered by `helm template` from the pull request's Applications,
 * with the pull request's isolation.yaml, for every open-source variant.
 *
 * - NetworkPolicies, through an evaluator with Kubernetes' semantics: the
 *   router reaches the web, API and file servers and nothing else; another
 *   tenant's task pods reach nothing of this tenant; the tenant's own task
 *   pods reach its API and file servers but not its MongoDB, Redis or
 *   Elasticsearch; its API server reaches all three.
 * - ResourceQuota per tier: the rendered pods' requests and limits, a rolling
 *   update's extra pod and the tier's task pods fit; every container requests
 *   and limits resources; every claim has the tier's size; a task pod without
 *   requests gets the LimitRange's default.
 */
import fs from 'fs';
import yaml from 'js-yaml';
import os from 'os';
import path from 'path';
import {
  bytesOf,
  cpuMillis,
  DEFAULT_TIERS,
  isolationPolicyName,
  podTotals,
  serverNames,
  agentNames,
  SizeTier,
  TenantInput,
  TENANT_LIMIT_RANGE_NAME,
  TENANT_QUOTA_NAME,
} from '@clearml-openshift/plugin-clearml-common';
import { KubeObject, syncApplications } from './argocdSync';
import { podTemplates } from './objectGraph';
import {
  allowed,
  Cluster,
  Endpoint,
  selectingPolicies,
} from './networkPolicyEvaluator';
import { writeTenantDirectory } from './__testUtils__/tenantDirectory';

jest.setTimeout(180_000);

const OPENSHIFT_4_19 = '1.32.5';

async function deploy(input: TenantInput): Promise<{
  objects: KubeObject[];
  namespace: KubeObject;
  tenant: ReturnType<typeof writeTenantDirectory>['tenant'];
}> {
  const repoRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'clearml-isolation-'));
  try {
    const written = writeTenantDirectory({
      repoRoot,
      input,
      kubernetesVersion: OPENSHIFT_4_19,
    });
    const applications = await syncApplications({
      repoRoot,
      applicationsFile: path.join(written.dir, 'applications.yaml'),
      clusterVersion: OPENSHIFT_4_19,
    });
    const objects = applications.flatMap(a => a.objects);
    return {
      objects,
      namespace: objects.find(o => o.kind === 'Namespace')!,
      tenant: written.tenant,
    };
  } finally {
    fs.rmSync(repoRoot, { recursive: true, force: true });
  }
}

/** Each rendered pod as an endpoint, by its owner (`Deployment/clearml-apiserver`). */
function podEndpoints(
  objects: readonly KubeObject[],
  namespace: string,
): Map<string, Endpoint> {
  const endpoints = new Map<string, Endpoint>();
  for (const pod of podTemplates(objects)) {
    const ports: Record<string, number> = {};
    for (const c of pod.spec.containers ?? [])
      for (const p of c.ports ?? [])
        if (p.name) ports[p.name] = p.containerPort;
    endpoints.set(pod.owner, {
      name: pod.owner,
      namespace,
      labels: pod.labels,
      ports,
    });
  }
  return endpoints;
}

/** The pod the agent starts for a task: its chart's pod template (ConfigMap `<fullname>-pt`), in the tenant's namespace. */
function taskPodTemplate(objects: readonly KubeObject[], release: string): any {
  const name = `${agentNames('oss', release).deployment}-pt`;
  const configMap = objects.find(
    o => o.kind === 'ConfigMap' && o.metadata.name === name,
  );
  if (!configMap) throw new Error(`no task pod template ${name}`);
  return yaml.load(configMap.data['template.yaml']);
}

function taskPod(
  objects: readonly KubeObject[],
  release: string,
  namespace: string,
): Endpoint {
  const template = taskPodTemplate(objects, release);
  return {
    name: `task pod of ${namespace}`,
    namespace,
    // The glue adds its own labels (queue, task id) at run time; no policy selects by them.
    labels: {
      ...(template.metadata?.labels ?? {}),
      'clearml-agent-queue': 'gpu',
    },
  };
}

const ROUTER_NAMESPACE = 'openshift-ingress';
const MONITORING_NAMESPACE = 'openshift-user-workload-monitoring';

function clusterOf(
  tenants: Array<{ objects: KubeObject[]; namespace: KubeObject }>,
  withPolicies = true,
): Cluster {
  const namespaces: Cluster['namespaces'] = {
    [ROUTER_NAMESPACE]: {
      'kubernetes.io/metadata.name': ROUTER_NAMESPACE,
      'policy-group.network.openshift.io/ingress': '',
      'network.openshift.io/policy-group': 'ingress',
    },
    [MONITORING_NAMESPACE]: {
      'kubernetes.io/metadata.name': MONITORING_NAMESPACE,
      'network.openshift.io/policy-group': 'monitoring',
    },
  };
  for (const t of tenants)
    namespaces[t.namespace.metadata.name] = {
      ...t.namespace.metadata.labels,
      'kubernetes.io/metadata.name': t.namespace.metadata.name,
    };
  return {
    namespaces,
    policies: withPolicies
      ? tenants.flatMap(
          t => t.objects.filter(o => o.kind === 'NetworkPolicy') as any[],
        )
      : [],
  };
}

const router: Endpoint = {
  name: 'router',
  namespace: ROUTER_NAMESPACE,
  labels: {
    'ingresscontroller.operator.openshift.io/deployment-ingresscontroller':
      'default',
  },
};
const hostNetworkRouter: Endpoint = {
  ...router,
  name: 'host-network router',
  hostNetwork: true,
};
const prometheus: Endpoint = {
  name: 'prometheus',
  namespace: MONITORING_NAMESPACE,
  labels: { 'app.kubernetes.io/name': 'prometheus' },
};

const VARIANTS: Array<[string, TenantInput]> = [];
for (const releaseName of ['clearml', 'acme'])
  for (const securityProfile of ['anyuid', 'nonroot'])
    for (const exposure of ['route', 'ingress'])
      VARIANTS.push([
        `release ${releaseName}, ${securityProfile}, ${exposure}, agent`,
        {
          tenant: 'acme',
          domain: 'acme.clearml.apps.ocp.example.com',
          releaseName,
          securityProfile,
          exposure,
          agent: { enabled: true, queue: 'gpu' },
        },
      ]);
VARIANTS.push([
  'release clearml, anyuid, route, no agent',
  { tenant: 'acme', domain: 'acme.clearml.apps.ocp.example.com' },
]);

// Tenant B: another team on the same cluster, with its agent.
let tenantB: Awaited<ReturnType<typeof deploy>>;
beforeAll(async () => {
  tenantB = await deploy({
    tenant: 'beta',
    domain: 'beta.clearml.apps.ocp.example.com',
    agent: { enabled: true, queue: 'default' },
  });
});

describe.each(VARIANTS)(
  'NetworkPolicies of an open-source tenant: %s',
  (_name, input) => {
    let a: Awaited<ReturnType<typeof deploy>>;
    beforeAll(async () => {
      a = await deploy(input);
    });

    it('keeps the tenant apart: router to servers only, other tenants nowhere, task pods to the API and file servers only', () => {
      const { tenant } = a;
      const names = serverNames('oss', tenant.releaseName);
      const ns = tenant.namespace;
      const pods = podEndpoints(a.objects, ns);
      const pod = (owner: string) => {
        const found = pods.get(owner);
        if (!found)
          throw new Error(`no pod ${owner} in ${[...pods.keys()].join(', ')}`);
        return found;
      };
      const apiserver = pod(`Deployment/${names.services.apiserver}`);
      const asyncdelete = pod(`Deployment/${names.asyncDelete}`);
      const fileserver = pod(`Deployment/${names.services.fileserver}`);
      const webserver = pod(`Deployment/${names.services.webserver}`);
      const mongodb = pod(`Deployment/${names.mongodb.deployment}`);
      const redis = pod(`StatefulSet/${names.redis.statefulSet}`);
      const elasticsearch = pod(
        `StatefulSet/${names.elasticsearch.statefulSet}`,
      );
      const cluster = clusterOf([a, tenantB]);
      const can = (from: Endpoint, to: Endpoint, port: number) =>
        allowed(cluster, from, to, port);

      // Every pod of the tenant is isolated (the default deny selects it), and every policy selects a rendered pod.
      expect(
        [...pods.values()].filter(
          p => selectingPolicies(cluster, p).length === 0,
        ),
      ).toEqual([]);
      const policies = a.objects.filter(o => o.kind === 'NetworkPolicy');
      expect(
        policies
          .filter(
            p =>
              ![...pods.values()].some(
                e =>
                  selectingPolicies({ ...cluster, policies: [p as any] }, e)
                    .length,
              ),
          )
          .map(p => p.metadata.name),
      ).toEqual([]);

      const web = names.containerPorts;
      const reach = (from: Endpoint) => ({
        api: can(from, apiserver, web.apiserver),
        files: can(from, fileserver, web.fileserver),
        web: can(from, webserver, web.webserver),
        mongodb: can(from, mongodb, 27017),
        redis: can(from, redis, 6379),
        elasticsearch: can(from, elasticsearch, 9200),
      });
      // The router (on the cluster network or the host network) reaches the three servers, on their container ports only.
      for (const r of [router, hostNetworkRouter]) {
        expect([r.name, reach(r)]).toEqual([
          r.name,
          {
            api: true,
            files: true,
            web: true,
            mongodb: false,
            redis: false,
            elasticsearch: false,
          },
        ]);
        expect(can(r, apiserver, 22)).toBe(false);
      }

      // Tenant B's task pod, and a pod of B that copies A's API server labels: nothing of A.
      const taskOfB = taskPod(
        tenantB.objects,
        'clearml',
        tenantB.tenant.namespace,
      );
      const impostor: Endpoint = {
        ...apiserver,
        name: 'B pod with A apiserver labels',
        namespace: tenantB.tenant.namespace,
      };
      for (const intruder of [taskOfB, impostor])
        expect([intruder.name, reach(intruder)]).toEqual([
          intruder.name,
          {
            api: false,
            files: false,
            web: false,
            mongodb: false,
            redis: false,
            elasticsearch: false,
          },
        ]);

      // The API server and its async-delete worker reach the three dependencies.
      for (const server of [apiserver, asyncdelete])
        expect([server.name, reach(server)]).toMatchObject([
          server.name,
          { mongodb: true, redis: true, elasticsearch: true },
        ]);
      // Elasticsearch's nodes reach each other; the exporters' ports are open to monitoring only.
      expect(can(elasticsearch, elasticsearch, 9300)).toBe(true);
      expect([
        can(prometheus, mongodb, 9216),
        can(prometheus, redis, 9121),
        can(prometheus, mongodb, 27017),
      ]).toEqual([true, true, false]);

      // With an agent (every variant but one):
      const agentPods = tenant.agent.enabled
        ? [
            {
              taskOfA: taskPod(a.objects, tenant.releaseName, ns),
              agent: pod(
                `Deployment/${agentNames('oss', tenant.releaseName).deployment}`,
              ),
            },
          ]
        : [];
      for (const { taskOfA, agent } of agentPods) {
        // A's own task pod: its API, file and web servers, none of the dependencies.
        expect(reach(taskOfA)).toEqual({
          api: true,
          files: true,
          web: true,
          mongodb: false,
          redis: false,
          elasticsearch: false,
        });
        // The agent's init container waits on the webserver through its Service.
        expect(can(agent, webserver, web.webserver)).toBe(true);
      }
    });

    it("the check can fail: without the policies, tenant B reaches A's MongoDB", () => {
      const names = serverNames('oss', a.tenant.releaseName);
      const pods = podEndpoints(a.objects, a.tenant.namespace);
      const mongodb = pods.get(`Deployment/${names.mongodb.deployment}`)!;
      const taskOfB = taskPod(
        tenantB.objects,
        'clearml',
        tenantB.tenant.namespace,
      );
      expect(
        allowed(clusterOf([a, tenantB], false), taskOfB, mongodb, 27017),
      ).toBe(true);
    });
  },
);

describe('the evaluator follows Kubernetes semantics', () => {
  const ns = (name: string, labels: Record<string, string> = {}) => ({
    [name]: labels,
  });
  const target: Endpoint = {
    name: 'db',
    namespace: 'a',
    labels: { app: 'db' },
  };
  const policy = (from: any[], ports?: any[]) => ({
    metadata: { name: 'p', namespace: 'a' },
    spec: {
      podSelector: { matchLabels: { app: 'db' } },
      policyTypes: ['Ingress'],
      ingress: [{ from, ...(ports ? { ports } : {}) }],
    },
  });
  const cluster = (p: any): Cluster => ({
    namespaces: { ...ns('a'), ...ns('b', { team: 'x' }) },
    policies: [p],
  });

  it('namespaceSelector and podSelector in one peer are ANDed; in two peers ORed', () => {
    const web: Endpoint = {
      name: 'web',
      namespace: 'b',
      labels: { app: 'web' },
    };
    const other: Endpoint = {
      name: 'other',
      namespace: 'b',
      labels: { app: 'other' },
    };
    const sameNsWeb: Endpoint = {
      name: 'web-a',
      namespace: 'a',
      labels: { app: 'web' },
    };
    const and = cluster(
      policy([
        {
          namespaceSelector: { matchLabels: { team: 'x' } },
          podSelector: { matchLabels: { app: 'web' } },
        },
      ]),
    );
    expect([
      allowed(and, web, target, 1),
      allowed(and, other, target, 1),
      allowed(and, sameNsWeb, target, 1),
    ]).toEqual([true, false, false]);
    const or = cluster(
      policy([
        { namespaceSelector: { matchLabels: { team: 'x' } } },
        { podSelector: { matchLabels: { app: 'web' } } },
      ]),
    );
    expect([
      allowed(or, web, target, 1),
      allowed(or, other, target, 1),
      allowed(or, sameNsWeb, target, 1),
    ]).toEqual([true, true, true]);
  });

  it('ports restrict; an unselected pod accepts everything; host-network traffic needs podSelector {}', () => {
    const from: Endpoint = { name: 'x', namespace: 'a', labels: {} };
    const withPorts = cluster(
      policy([{ podSelector: {} }], [{ protocol: 'TCP', port: 5432 }]),
    );
    expect([
      allowed(withPorts, from, target, 5432),
      allowed(withPorts, from, target, 22),
    ]).toEqual([true, false]);
    expect(
      allowed(withPorts, from, { ...target, labels: { app: 'cache' } }, 22),
    ).toBe(true);
    const host: Endpoint = {
      name: 'h',
      namespace: 'b',
      labels: {},
      hostNetwork: true,
    };
    expect(
      allowed(
        cluster(
          policy([{ namespaceSelector: { matchLabels: { team: 'x' } } }]),
        ),
        host,
        target,
        1,
      ),
    ).toBe(false);
    expect(
      allowed(
        cluster(
          policy([
            {
              namespaceSelector: { matchLabels: { team: 'x' } },
              podSelector: {},
            },
          ]),
        ),
        host,
        target,
        1,
      ),
    ).toBe(true);
  });
});

/** Kubernetes' LimitRanger for one container: missing limits take `default`, missing requests `defaultRequest` (else the limit). */
function withLimitRange(
  container: any,
  limitRange: any,
): { requests: Record<string, string>; limits: Record<string, string> } {
  const item = limitRange.spec.limits.find((l: any) => l.type === 'Container');
  const limits = {
    ...(item.default ?? {}),
    ...(container.resources?.limits ?? {}),
  };
  const requests = { ...(container.resources?.requests ?? {}) };
  for (const key of ['cpu', 'memory'])
    requests[key] ??= item.defaultRequest?.[key] ?? limits[key];
  return { requests, limits };
}

const QUOTA_VARIANTS: Array<[string, TenantInput]> = [
  [
    'with agent',
    { tenant: 'acme', domain: 'acme.example.com', agent: { enabled: true } },
  ],
  [
    'without agent, nonroot',
    { tenant: 'acme', domain: 'acme.example.com', securityProfile: 'nonroot' },
  ],
];

describe.each(DEFAULT_TIERS.map(t => [t.name, t] as [string, SizeTier]))(
  'size tier %s',
  (name, tier) => {
    it.each(QUOTA_VARIANTS)(
      '%s: every container is sized, every claim has the tier size, the quota admits the pods with room for the task pods',
      async (_v, input) => {
        const { objects, tenant } = await deploy({ ...input, tier: name });
        const quota = objects.find(
          o =>
            o.kind === 'ResourceQuota' && o.metadata.name === TENANT_QUOTA_NAME,
        )!;
        const limitRange = objects.find(
          o =>
            o.kind === 'LimitRange' &&
            o.metadata.name === TENANT_LIMIT_RANGE_NAME,
        )!;
        expect([
          quota?.metadata.namespace,
          limitRange?.metadata.namespace,
        ]).toEqual([tenant.namespace, tenant.namespace]);

        // Every container and init container the charts render requests and limits CPU and memory.
        const pods = podTemplates(objects);
        const unsized = pods.flatMap(p =>
          [...(p.spec.containers ?? []), ...(p.spec.initContainers ?? [])]
            .filter(
              c =>
                !['cpu', 'memory'].every(
                  k => c.resources?.requests?.[k] && c.resources?.limits?.[k],
                ),
            )
            .map(c => `${p.owner}/${c.name}`),
        );
        expect(unsized).toEqual([]);

        // The pods' effective requests (the larger of their containers' sum and their largest init container), replicas counted.
        const replicas = (owner: string) =>
          objects.find(o => `${o.kind}/${o.metadata.name}` === owner)?.spec
            .replicas ?? 1;
        const effective = pods.map(p => ({
          owner: p.owner,
          replicas: replicas(p.owner),
          surges:
            p.owner.startsWith('Deployment/') &&
            objects.find(o => `${o.kind}/${o.metadata.name}` === p.owner)?.spec
              .strategy?.rollingUpdate?.maxSurge !== 0,
          totals: podTotals(
            p.spec.containers.map((c: any) => c.resources),
            (p.spec.initContainers ?? []).map((c: any) => c.resources),
          ),
        }));
        const task = tenant.agent.enabled
          ? podTotals([
              taskPodTemplate(objects, tenant.releaseName).spec.containers[0]
                .resources,
            ])
          : podTotals([tier.taskPods]);
        const need = (key: keyof ReturnType<typeof podTotals>) =>
          effective.reduce((s, e) => s + e.replicas * e.totals[key], 0) +
          Math.max(
            0,
            ...effective.filter(e => e.surges).map(e => e.totals[key]),
          ) +
          tier.taskPods.count * task[key];
        const hard = quota.spec.hard;
        expect({
          cpu: need('cpuRequestMillis') <= cpuMillis(hard['requests.cpu']),
          memory:
            need('memoryRequestBytes') <= bytesOf(hard['requests.memory']),
          cpuLimits: need('cpuLimitMillis') <= cpuMillis(hard['limits.cpu']),
          memoryLimits:
            need('memoryLimitBytes') <= bytesOf(hard['limits.memory']),
          pods:
            effective.reduce((s, e) => s + e.replicas, 0) +
              1 +
              tier.taskPods.count <=
            Number(hard.pods),
        }).toEqual({
          cpu: true,
          memory: true,
          cpuLimits: true,
          memoryLimits: true,
          pods: true,
        });
        // …and a task pod more than the tier allows does not fit (the quota is a bound, not a formality).
        expect(
          need('cpuRequestMillis') + task.cpuRequestMillis * 2 >
            cpuMillis(hard['requests.cpu']),
        ).toBe(true);

        // Claims: the tier's sizes, within the quota's storage.
        const claims = [
          ...objects
            .filter(o => o.kind === 'PersistentVolumeClaim')
            .map(o => o.spec),
          ...objects.flatMap(o =>
            o.kind === 'StatefulSet'
              ? (o.spec.volumeClaimTemplates ?? []).map((t: any) => t.spec)
              : [],
          ),
        ].map(spec => spec.resources.requests.storage as string);
        expect(claims.sort()).toEqual(Object.values(tier.storage).sort());
        expect(
          claims.reduce((s, c) => s + bytesOf(c), 0) <=
            bytesOf(hard['requests.storage']),
        ).toBe(true);
        expect(claims.length <= Number(hard.persistentvolumeclaims)).toBe(true);

        // A task pod whose container declares nothing gets the LimitRange's default: the tier's task pod size.
        expect(withLimitRange({ name: 'user-pod' }, limitRange)).toEqual({
          requests: tier.taskPods.requests,
          limits: tier.taskPods.limits,
        });
      },
    );
  },
);

it('every tenant gets one policy per isolated pod, named by clearml-common', async () => {
  const { objects } = await deploy({
    tenant: 'acme',
    domain: 'acme.example.com',
  });
  expect(
    objects.filter(o => o.kind === 'NetworkPolicy').map(o => o.metadata.name),
  ).toEqual([
    'clearml-default-deny-ingress',
    ...(
      [
        'apiserver',
        'fileserver',
        'webserver',
        'mongodb',
        'redis',
        'elasticsearch',
      ] as const
    ).map(isolationPolicyName),
  ]);
});
