/**
 * The real public charts (clearml 7.14.4, clearml-agent 5.3.2) rendered by
 * `helm template` the way Argo CD renders them from the rendered
 * Applications, for every open-source tenant variant: each Route and Ingress
 * reaches a container, each granted ServiceAccount exists, every pod is
 * admitted by an SCC its account holds, the agent reaches the webserver in the
 * cluster, and the Applications, Namespace and RoleBindings are valid objects
 * of Argo CD's and Kubernetes' schemas. Kubernetes versions the charts refuse
 * fail as Argo CD's sync would, unless the platform set the override.
 */
import fs from 'fs';
import yaml from 'js-yaml';
import os from 'os';
import path from 'path';
import type { JsonObject } from '@backstage/types';
import {
  agentNames,
  TenantInput,
  tenantHosts,
} from '@clearml-openshift/plugin-clearml-common';
import { KubeObject, syncApplications, SyncedApplication } from './argocdSync';
import {
  inClusterUrlProblem,
  ingressProblems,
  podTemplates,
  routeProblem,
  serviceAccountOf,
} from './objectGraph';
import { admittingScc, availableSccs, defaultSccs } from './sccAdmission';
import { argocdCrdValidator, kubernetesValidator } from './schemaValidators';
import { helmShowValues, PACKAGED_CHARTS } from './helm';
import { unknownKeys } from '@internal/clearml-test-utils';
import { writeTenantDirectory } from './__testUtils__/tenantDirectory';

jest.setTimeout(120_000);

const OPENSHIFT_4_19 = '1.32.5';
const sccs = defaultSccs();
const validateApplication = argocdCrdValidator('application-crd.yaml');
const validateRoleBinding = kubernetesValidator(
  'V1RoleBinding',
  'rbac.authorization.k8s.io/v1',
  'RoleBinding',
);
const validateNamespace = kubernetesValidator('V1Namespace', 'v1', 'Namespace');

let repoRoot: string;
beforeEach(() => {
  repoRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'clearml-charts-'));
});
afterEach(() => fs.rmSync(repoRoot, { recursive: true, force: true }));

async function deploy(
  input: TenantInput,
  clusterVersion = OPENSHIFT_4_19,
  config?: JsonObject,
) {
  const written = writeTenantDirectory({
    repoRoot,
    input,
    kubernetesVersion: clusterVersion,
    config,
  });
  const applications = await syncApplications({
    repoRoot,
    applicationsFile: path.join(written.dir, 'applications.yaml'),
    clusterVersion,
  });
  const read = (file: string) =>
    fs.existsSync(path.join(written.dir, file))
      ? (yaml.loadAll(
          fs.readFileSync(path.join(written.dir, file), 'utf8'),
        ) as any[])
      : [];
  return {
    ...written,
    applications,
    objects: applications.flatMap(a => a.objects),
    read,
  };
}

/** The SCCs each ServiceAccount holds through the RoleBindings among the objects. */
function grantedSccs(objects: readonly KubeObject[]): Map<string, string[]> {
  const granted = new Map<string, string[]>();
  for (const binding of objects.filter(
    o =>
      o.kind === 'RoleBinding' &&
      o.roleRef?.name?.startsWith('system:openshift:scc:'),
  )) {
    for (const subject of binding.subjects ?? []) {
      const scc = binding.roleRef.name.replace('system:openshift:scc:', '');
      granted.set(subject.name, [...(granted.get(subject.name) ?? []), scc]);
    }
  }
  return granted;
}

function unadmittedPods(
  objects: readonly KubeObject[],
): Array<{ owner: string; account: string; refusals: unknown }> {
  const granted = grantedSccs(objects);
  return podTemplates(objects).flatMap(pod => {
    const account = serviceAccountOf(pod);
    const result = admittingScc(
      availableSccs(sccs, granted.get(account) ?? []),
      pod.spec,
    );
    return result.scc
      ? []
      : [{ owner: pod.owner, account, refusals: result.refusals }];
  });
}

const VARIANTS: Array<[string, TenantInput]> = [];
for (const releaseName of ['clearml', 'acme']) {
  for (const securityProfile of ['anyuid', 'nonroot']) {
    for (const exposure of ['route', 'ingress']) {
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
    }
  }
}
VARIANTS.push([
  'release clearml, anyuid, route, no agent',
  { tenant: 'acme', domain: 'acme.clearml.apps.ocp.example.com' },
]);

describe.each(VARIANTS)(
  'open-source tenant: %s, on OpenShift 4.19 (Kubernetes 1.32)',
  (_name, input) => {
    it('deploys: Routes and Ingresses reach containers, grants name existing accounts, every pod is admitted, the agent reaches the webserver in the cluster', async () => {
      const { tenant, objects, applications, read } = await deploy(input);
      expect(applications.map(a => [a.chart, a.kubeVersion])).toEqual([
        ['clearml', OPENSHIFT_4_19],
        ...(tenant.agent.enabled ? [['clearml-agent', OPENSHIFT_4_19]] : []),
      ]);

      // Exposure: three Routes (route mode) or three chart Ingresses (ingress mode), each reaching a container port.
      const routes = objects.filter(o => o.kind === 'Route');
      const ingresses = objects.filter(o => o.kind === 'Ingress');
      expect([routes.length, ingresses.length]).toEqual(
        tenant.exposure === 'route' ? [3, 0] : [0, 3],
      );
      // Ingress mode: uploads get the fileserver Route's 600 s timeout (OpenShift copies it to the Route it makes).
      expect(
        ingresses
          .filter(
            i => i.spec.rules[0].host === tenantHosts(tenant.domain).files,
          )
          .map(
            i =>
              i.metadata.annotations?.['haproxy.router.openshift.io/timeout'],
          ),
      ).toEqual(tenant.exposure === 'ingress' ? ['600s'] : []);
      expect(routes.map(r => routeProblem(objects, r)).filter(Boolean)).toEqual(
        [],
      );
      expect(ingresses.flatMap(i => ingressProblems(objects, i))).toEqual([]);

      // Grants: every granted account exists, and no pod's account lacks an SCC that admits the pod.
      const grants = read('scc-grants.yaml');
      const accounts = new Set(
        objects
          .filter(o => o.kind === 'ServiceAccount')
          .map(o => o.metadata.name),
      );
      const subjects = grants.flatMap(b => b.subjects.map((s: any) => s.name));
      expect(subjects.length).toBeGreaterThan(0);
      expect(subjects.filter(s => !accounts.has(s))).toEqual([]);
      expect(podTemplates(objects).length).toBeGreaterThanOrEqual(
        tenant.agent.enabled ? 8 : 7,
      );
      expect(unadmittedPods(objects)).toEqual([]);

      // The agent's init container waits on the webserver: through its Service, which reaches the container.
      const [agentValues] = read('clearml-agent-values.yaml');
      const webUrl: string | undefined =
        agentValues?.agentk8sglue.webServerUrlReference;
      const agent = objects.find(
        o =>
          o.kind === 'Deployment' &&
          o.metadata.name === agentNames('oss', tenant.releaseName).deployment,
      );
      expect([
        webUrl && inClusterUrlProblem(objects, webUrl),
        webUrl &&
          JSON.stringify(agent?.spec.template.spec.initContainers).includes(
            webUrl,
          ),
      ]).toEqual(
        tenant.agent.enabled ? [undefined, true] : [undefined, undefined],
      );

      // What Argo CD is given is valid: Applications (Argo CD 3.6's CRD), Namespace and RoleBindings (Kubernetes').
      for (const app of read('applications.yaml'))
        expect([
          app.metadata.name,
          validateApplication(app),
          validateApplication.errors,
        ]).toEqual([app.metadata.name, true, null]);
      for (const binding of grants)
        expect([
          validateRoleBinding(binding),
          validateRoleBinding.errors,
        ]).toEqual([true, null]);
      const [namespace] = read('namespace.yaml');
      expect([validateNamespace(namespace), validateNamespace.errors]).toEqual([
        true,
        null,
      ]);
      expect(namespace.metadata.labels['clear.ml/tenant']).toBe('acme');
    });
  },
);

describe('every key the values files set is read by the chart', () => {
  it.each(VARIANTS)('%s', async (_name, input) => {
    const { dir } = writeTenantDirectory({
      repoRoot,
      input,
      kubernetesVersion: OPENSHIFT_4_19,
    });
    const read = (file: string) =>
      fs.existsSync(path.join(dir, file))
        ? (yaml.loadAll(fs.readFileSync(path.join(dir, file), 'utf8')) as any[])
        : [];
    const server = yaml.load(await helmShowValues(PACKAGED_CHARTS.clearml));
    const agent = yaml.load(
      await helmShowValues(PACKAGED_CHARTS['clearml-agent']),
    );
    const [serverValues] = read('clearml-values.yaml');
    const [agentValues] = read('clearml-agent-values.yaml');
    expect(unknownKeys(serverValues, server, { subcharts: true })).toEqual([]);
    expect(agentValues ? unknownKeys(agentValues, agent) : []).toEqual([]);
  });

  it('a key the chart does not have is found', async () => {
    const server = yaml.load(await helmShowValues(PACKAGED_CHARTS.clearml));
    expect(
      unknownKeys(
        {
          apiserver: { service: { typ: 'ClusterIP' } },
          redis: { master: { podSecurityContex: {} } },
        },
        server,
        { subcharts: true },
      ),
    ).toEqual(['apiserver.service.typ', 'redis.master.podSecurityContex']);
  });
});

describe('the checks can fail', () => {
  it('a nonroot tenant without its grants leaves mongodb, redis and elasticsearch unadmitted', async () => {
    const { objects } = await deploy({
      tenant: 'acme',
      domain: 'acme.example.com',
      securityProfile: 'nonroot',
    });
    const withoutGrants = objects.filter(
      o =>
        o.kind !== 'RoleBinding' ||
        !o.metadata.name.startsWith('system:openshift:scc:'),
    );
    expect(
      unadmittedPods(withoutGrants)
        .map(p => p.account)
        .sort(),
    ).toEqual(['clearml-elastic-master', 'clearml-mongodb', 'clearml-redis']);
  });

  it("a Route to the webserver's Service port (8080) instead of its container port (80) reaches nothing", async () => {
    const { tenant, objects } = await deploy({
      tenant: 'acme',
      domain: 'acme.example.com',
    });
    const web = objects.find(
      o => o.kind === 'Route' && o.spec.host === tenantHosts(tenant.domain).web,
    )!;
    expect(
      routeProblem(objects, {
        ...web,
        spec: { ...web.spec, port: { targetPort: 8080 } },
      }),
    ).toMatch(/reaches no container port/);
  });

  it('an Application without its chart source is refused by the CRD schema', () => {
    expect(
      validateApplication({
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: { name: 'x' },
        spec: { sources: [{ chart: 'clearml' }] },
      }),
    ).toBe(false);
  });
});

describe('Kubernetes versions', () => {
  const input: TenantInput = {
    tenant: 'acme',
    domain: 'acme.example.com',
    agent: { enabled: true },
  };

  it.each(['1.21.0', '1.28.3', '1.32.5'])(
    'the charts install on Kubernetes %s',
    async version => {
      const { applications } = await deploy(input, version);
      expect(
        applications.map((a: SyncedApplication) => a.objects.length > 0),
      ).toEqual([true, true]);
    },
  );

  it.each(['1.33.0', '1.34.1', '1.20.15'])(
    'the charts refuse Kubernetes %s, as Argo CD would fail the sync',
    async version => {
      await expect(deploy(input, version)).rejects.toThrow(
        /chart requires kubeVersion: >= 1\.21\.0-0 < 1\.33\.0-0 which is incompatible with Kubernetes/,
      );
    },
  );

  it('with clearml.charts.kubeVersionOverride, the Applications render for that version on a newer cluster', async () => {
    const { applications, read } = await deploy(input, '1.33.2', {
      charts: { kubeVersionOverride: '1.32.0' },
    });
    expect(applications.map(a => [a.chart, a.kubeVersion])).toEqual([
      ['clearml', '1.32.0'],
      ['clearml-agent', '1.32.0'],
    ]);
    for (const app of read('applications.yaml'))
      expect(validateApplication(app)).toBe(true);
  });
});
