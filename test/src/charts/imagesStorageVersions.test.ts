/**
 * What the merged pull request pulls, claims and renders for, checked on the
 * real charts (`helm template` as Argo CD runs it) for every open-source
 * variant: no image on the dead list; with a mirror, every image (subcharts
 * and the agent's task pods included) from the mirror and every pod with the
 * pull secret; the images the PR lists are exactly the rendered ones; every
 * claim names the tenant's StorageClass; and OpenShift 4.18, 4.19 and 4.20
 * (Kubernetes 1.31, 1.32, 1.33) each get a render, the newest through the
 * kubeVersion the cluster check chooses against a cluster that serves every
 * rendered API.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import yaml from 'js-yaml';
import { ConfigReader } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import {
  DEAD_IMAGES,
  normalizeImageReference,
  resolveTenant,
  TenantInput,
} from '@clearml-openshift/plugin-clearml-common';
import {
  checkChartsOnCluster,
  KNOWN_CHART_RENDERED_APIS,
  readChartsSettings,
  readImageSettings,
  renderTenantValues,
  tenantCharts,
} from '@clearml-openshift/plugin-clearml-node';
import { createKubernetesClients } from '@clearml-openshift/plugin-clearml-node';
import { KubeObject, syncApplications } from './argocdSync';
import { podTemplates } from './objectGraph';
import { helmTemplate, PACKAGED_CHARTS } from './helm';
import { writeTenantDirectory } from './__testUtils__/tenantDirectory';
import { KubernetesApiDouble } from '@internal/clearml-test-utils';

jest.setTimeout(180_000);

const MIRROR = 'mirror.example.com:5000/clearml';
const PULL_SECRET = 'clearml-pull';

let repoRoot: string;
beforeEach(() => {
  repoRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'clearml-images-'));
});
afterEach(() => fs.rmSync(repoRoot, { recursive: true, force: true }));

async function deploy(
  input: TenantInput,
  options: {
    clusterVersion?: string;
    config?: JsonObject;
    kubeVersionOverride?: string;
  } = {},
) {
  const clusterVersion = options.clusterVersion ?? '1.32.5';
  const written = writeTenantDirectory({
    repoRoot,
    input,
    kubernetesVersion: clusterVersion,
    config: options.config,
    kubeVersionOverride: options.kubeVersionOverride,
  });
  const applications = await syncApplications({
    repoRoot,
    applicationsFile: path.join(written.dir, 'applications.yaml'),
    clusterVersion,
  });
  return {
    ...written,
    applications,
    objects: applications.flatMap(a => a.objects),
  };
}

/** Every image a pod of these objects pulls: containers, init containers, and the agent's task pods' default. */
function renderedImages(objects: readonly KubeObject[]): string[] {
  const images = podTemplates(objects).flatMap(pod =>
    [...(pod.spec.initContainers ?? []), ...(pod.spec.containers ?? [])].map(
      (c: any) => c.image as string,
    ),
  );
  for (const pod of podTemplates(objects))
    for (const c of pod.spec.containers ?? [])
      for (const env of c.env ?? [])
        if (env.name === 'CLEARML_DOCKER_IMAGE') images.push(env.value);
  return [...new Set(images.map(normalizeImageReference))].sort();
}

/** The pod specs of the agent's task pods: the chart's template in its `-pt` ConfigMap. */
function taskPodSpecs(objects: readonly KubeObject[]): any[] {
  return objects
    .filter(o => o.kind === 'ConfigMap' && o.data?.['template.yaml'])
    .map(o => (yaml.load(o.data['template.yaml']) as any).spec);
}

/** Every claim: PVCs and the StatefulSets' volumeClaimTemplates. */
function claims(objects: readonly KubeObject[]): Array<[string, unknown]> {
  return objects.flatMap(o => {
    if (o.kind === 'PersistentVolumeClaim')
      return [[`PVC/${o.metadata.name}`, o.spec.storageClassName]];
    if (o.kind === 'StatefulSet')
      return (o.spec.volumeClaimTemplates ?? []).map((t: any) => [
        `StatefulSet/${o.metadata.name}/${t.metadata.name}`,
        t.spec.storageClassName,
      ]);
    return [];
  }) as Array<[string, unknown]>;
}

const VARIANTS: Array<[string, TenantInput]> = [];
for (const securityProfile of ['anyuid', 'nonroot'])
  for (const exposure of ['route', 'ingress'])
    VARIANTS.push([
      `${securityProfile}, ${exposure}, agent`,
      {
        tenant: 'acme',
        domain: 'acme.clearml.apps.ocp.example.com',
        securityProfile,
        exposure,
        agent: { enabled: true },
        storageClassName: 'gp3-csi',
      },
    ]);
VARIANTS.push([
  'anyuid, route, release acme, no agent',
  {
    tenant: 'acme',
    domain: 'acme.example.com',
    releaseName: 'acme',
    storageClassName: 'ocs-storagecluster-ceph-rbd',
  },
]);

const DEAD = new Set(
  DEAD_IMAGES.map(d => normalizeImageReference(d.reference)),
);

describe.each(VARIANTS)('open-source tenant: %s', (_name, input) => {
  it('pulls no dead image, lists exactly what it pulls, and every claim names its StorageClass', async () => {
    const { objects } = await deploy(input);
    const images = renderedImages(objects);
    expect(images.filter(i => DEAD.has(i))).toEqual([]);
    expect(images).toEqual(
      renderTenantValues(resolveTenant(input)).images.references,
    );
    expect(images).toEqual(
      expect.arrayContaining([
        'docker.io/bitnamilegacy/mongodb:6.0.10-debian-11-r8',
        'docker.io/bitnamilegacy/redis:7.0.9-debian-11-r1',
      ]),
    );

    const found = claims(objects);
    // fileserver PVC, mongodb, redis and elasticsearch volumeClaimTemplates
    expect(found.length).toBeGreaterThanOrEqual(4);
    expect(found.filter(([, cls]) => cls !== input.storageClassName)).toEqual(
      [],
    );
  });

  it('with clearml.images, every image comes from the mirror and every pod (task pods too) has the pull secret', async () => {
    const config = { images: { registry: MIRROR, pullSecret: PULL_SECRET } };
    const { objects, tenant } = await deploy(input, { config });
    const images = renderedImages(objects);
    expect(images.filter(i => !i.startsWith(`${MIRROR}/`))).toEqual([]);
    expect(images).toEqual(
      renderTenantValues(tenant, {
        images: readImageSettings(new ConfigReader({ clearml: config })),
      }).images.references,
    );
    const pods = [
      ...podTemplates(objects).map(p => [p.owner, p.spec]),
      ...taskPodSpecs(objects).map(spec => ['task pod', spec]),
    ];
    expect(
      pods
        .filter(
          ([, spec]: any) =>
            !(spec.imagePullSecrets ?? []).some(
              (s: any) => s.name === PULL_SECRET,
            ),
        )
        .map(([owner]) => owner),
    ).toEqual([]);
    expect(taskPodSpecs(objects).length).toBe(tenant.agent.enabled ? 1 : 0);
  });
});

describe('the checks can fail', () => {
  it('without the override of the dead list, the chart pins a dead image', async () => {
    const { objects } = await deploy({
      tenant: 'acme',
      domain: 'acme.example.com',
    });
    const values = renderTenantValues(
      resolveTenant({ tenant: 'acme', domain: 'acme.example.com' }),
    );
    expect(values.images.replaced.map(r => r.from).sort()).toEqual(
      [...DEAD].sort(),
    );
    // The same render with the chart's own image settings for mongodb.
    const file = path.join(repoRoot, 'tenants/acme/clearml-values.yaml');
    const parsed = yaml.load(fs.readFileSync(file, 'utf8')) as any;
    delete parsed.mongodb.image;
    fs.writeFileSync(file, yaml.dump(parsed));
    const again = await syncApplications({
      repoRoot,
      applicationsFile: path.join(repoRoot, 'tenants/acme/applications.yaml'),
      clusterVersion: '1.32.5',
    });
    expect(renderedImages(again.flatMap(a => a.objects))).toContain(
      'docker.io/bitnami/mongodb:6.0.10-debian-11-r8',
    );
    expect(renderedImages(objects)).not.toContain(
      'docker.io/bitnami/mongodb:6.0.10-debian-11-r8',
    );
  });

  it('a tenant without storageClassName renders claims that name none', async () => {
    const { objects } = await deploy({
      tenant: 'acme',
      domain: 'acme.example.com',
    });
    expect(claims(objects).map(([, cls]) => cls ?? null)).toEqual(
      claims(objects).map(() => null),
    );
  });
});

describe('OpenShift 4.18, 4.19 and 4.20', () => {
  const input: TenantInput = {
    tenant: 'acme',
    domain: 'acme.example.com',
    agent: { enabled: true },
    storageClassName: 'gp3-csi',
  };

  async function clusterCheck(
    gitVersion: string,
    unservedApiVersions?: string[],
  ) {
    const double = await KubernetesApiDouble.start({
      kubernetesVersion: gitVersion,
      unservedApiVersions,
    });
    try {
      const cluster = {
        name: 'ocp',
        url: double.url,
        serviceAccountToken: 'double-admin-token',
        skipTLSVerify: true,
        source: 'test',
      } as any;
      const settings = readChartsSettings(new ConfigReader({}));
      return await checkChartsOnCluster({
        cluster,
        charts: tenantCharts(resolveTenant(input), settings),
        settings,
        clientFactory: createKubernetesClients,
      });
    } finally {
      await double.close();
    }
  }

  it.each([
    ['4.18', '1.31.6', undefined],
    ['4.19', '1.32.5', undefined],
    ['4.20', '1.33.3', '1.32.0'],
  ])(
    'OpenShift %s (Kubernetes %s): the cluster check passes and the charts render',
    async (_openshift, version, expectedOverride) => {
      const check = await clusterCheck(version);
      expect(check.kubeVersionOverride).toBe(expectedOverride);
      expect(Boolean(check.automaticOverride)).toBe(Boolean(expectedOverride));
      const { applications } = await deploy(input, {
        clusterVersion: version,
        kubeVersionOverride: check.kubeVersionOverride,
      });
      expect(applications.map(a => [a.chart, a.kubeVersion])).toEqual([
        ['clearml', expectedOverride ?? version],
        ['clearml-agent', expectedOverride ?? version],
      ]);
      expect(applications.every(a => a.objects.length > 0)).toBe(true);
    },
  );

  it('the known rendered APIs are every API the charts render, in every variant', async () => {
    const seen: Record<string, Set<string>> = {
      clearml: new Set(),
      'clearml-agent': new Set(),
    };
    for (const [, variant] of VARIANTS) {
      const { dir, tenant } = writeTenantDirectory({
        repoRoot,
        input: variant,
        kubernetesVersion: '1.32.5',
      });
      const render = async (
        chart: keyof typeof PACKAGED_CHARTS,
        file: string,
      ) => {
        const text = await helmTemplate({
          release: 'clearml',
          chart: PACKAGED_CHARTS[chart],
          namespace: tenant.namespace,
          values: [path.join(dir, file)],
          kubeVersion: '1.32.0',
        });
        for (const o of yaml.loadAll(text) as any[])
          if (o) seen[chart].add(o.apiVersion);
      };
      await render('clearml', 'clearml-values.yaml');
      if (tenant.agent.enabled)
        await render('clearml-agent', 'clearml-agent-values.yaml');
    }
    expect({
      clearml: [...seen.clearml].sort(),
      'clearml-agent': [...seen['clearml-agent']].sort(),
    }).toEqual({
      clearml: [...KNOWN_CHART_RENDERED_APIS['clearml@7.14.4'].apiVersions],
      'clearml-agent': [
        ...KNOWN_CHART_RENDERED_APIS['clearml-agent@5.3.2'].apiVersions,
      ],
    });
  });

  it('a cluster that does not serve a rendered API is refused, naming cluster', async () => {
    await expect(clusterCheck('1.33.3', ['policy/v1'])).rejects.toThrow(
      /^cluster: Kubernetes 1\.33\.3 on cluster 'ocp' does not serve an API the charts render \(clearml 7\.14\.4 renders policy\/v1\)/,
    );
  });
});
