/**
 * The template against today's OpenShift releases: 4.18, 4.19 and 4.20
 * (Kubernetes 1.31, 1.32, 1.33, as the demo cluster plays them). For each, the
 * real template opens the pull request, a reviewer merges it, and Argo CD's
 * render and apply (helm template of the pinned charts, as the Applications
 * say) succeed; on 4.20 the charts are rendered for 1.32.0 and the pull
 * request says why. Every image the merged files pull is live, and every claim
 * names the cluster's default StorageClass the first step chose. A class the
 * cluster lacks is refused at the first step, naming the field, with no pull
 * request.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import yaml from 'js-yaml';
import { startTestBackend } from '@backstage/backend-test-utils';
import {
  DEAD_IMAGES,
  defaultNamespace,
  normalizeImageReference,
} from '@clearml-openshift/plugin-clearml-common';
import { OPENSHIFT_KUBERNETES_VERSIONS } from '@internal/clearml-test-utils';
import { E2eWorld, GITOPS, startWorld, tenantFormValues } from './fixtures';
import { argocdSync, checkout } from './argocdSimulation';
import {
  backendApi,
  runTenantTemplate,
  startTenantBackend,
} from './__testUtils__/backendApi';

jest.setTimeout(180_000);

const DEAD = new Set(
  DEAD_IMAGES.map(d => normalizeImageReference(d.reference)),
);

// One backend and cluster, upgraded between the releases (GET /version answers the next one), as a cluster would be.
let world: E2eWorld;
let backend: Awaited<ReturnType<typeof startTestBackend>>;
let baseUrl: string;
let repoRoot: string;
const api = backendApi(() => baseUrl);

beforeAll(async () => {
  world = await startWorld();
  repoRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'clearml-versions-'));
  ({ backend, baseUrl } = await startTenantBackend(world));
});
afterAll(async () => {
  await backend?.stop();
  await world?.close();
  if (repoRoot) fs.rmSync(repoRoot, { recursive: true, force: true });
});

describe.each(Object.entries(OPENSHIFT_KUBERNETES_VERSIONS))(
  'Kubernetes %s',
  (minor, { openshift, gitVersion }) => {
    beforeAll(() => world.kubernetes.setKubernetesVersion(gitVersion));

    it(`OpenShift ${openshift}: the pull request merges into charts Argo CD renders and applies, with live images and the default StorageClass`, async () => {
      const tenant = `orbit${minor.replace('.', '')}`;
      const { status, log } = await runTenantTemplate(
        api,
        tenantFormValues(tenant, { agent: true, agentQueue: 'gpu' }),
        90_000,
      );
      expect([status, log]).toEqual(['completed', expect.any(String)]);
      const pull = world.github
        .pullRequests(GITOPS.owner, GITOPS.repo)
        .find(p => p.head === `clearml/${tenant}`)!;
      const renderedFor = gitVersion.startsWith('1.33') ? '1.32.0' : undefined;
      expect(pull.body).toContain('### Images and storage');
      expect(pull.body).toContain(
        'Every claim (fileserver, mongodb, redis, elasticsearch) names the StorageClass `gp3-csi`.',
      );
      // Rendered for an older Kubernetes than the cluster's: the pull request says so.
      const kubeVersionNotes = renderedFor
        ? [/helm\.kubeVersion 1\.32\.0, not the cluster's 1\.33\.3/]
        : [];
      for (const note of kubeVersionNotes) expect(pull.body).toMatch(note);

      world.github.mergePullRequest(GITOPS.owner, GITOPS.repo, pull.number);
      checkout(world.github, GITOPS.owner, GITOPS.repo, 'main', repoRoot);
      const applications = yaml.loadAll(
        fs.readFileSync(
          path.join(repoRoot, `tenants/${tenant}/applications.yaml`),
          'utf8',
        ),
      ) as any[];
      expect(applications.map(a => a.spec.sources[0].helm.kubeVersion)).toEqual(
        [renderedFor, renderedFor],
      );

      const simulation = await argocdSync({
        kubernetes: world.kubernetes,
        repoRoot,
        tenantDir: `tenants/${tenant}`,
        clusterVersion: gitVersion,
      });
      expect(simulation.applicationObjects).toHaveLength(2);
      const namespace = defaultNamespace(tenant);
      const workloads = [
        ...world.kubernetes.list('apps/v1', 'Deployment', namespace),
        ...world.kubernetes.list('apps/v1', 'StatefulSet', namespace),
      ] as any[];
      const images = workloads.flatMap(w =>
        [
          ...(w.spec.template.spec.initContainers ?? []),
          ...w.spec.template.spec.containers,
        ].map((c: any) => normalizeImageReference(c.image)),
      );
      expect(images.length).toBeGreaterThan(0);
      expect(images.filter(i => DEAD.has(i))).toEqual([]);
      const claims = [
        ...(world.kubernetes.list(
          'v1',
          'PersistentVolumeClaim',
          namespace,
        ) as any[]),
        ...workloads.flatMap(w => w.spec.volumeClaimTemplates ?? []),
      ];
      expect(claims.length).toBeGreaterThanOrEqual(4);
      expect(claims.filter(c => c.spec.storageClassName !== 'gp3-csi')).toEqual(
        [],
      );
    });

    it(`OpenShift ${openshift}: a StorageClass the cluster lacks is refused at the first step, naming storageClassName, with no pull request`, async () => {
      const tenant = `nova${minor.replace('.', '')}`;
      const { status, log } = await runTenantTemplate(
        api,
        tenantFormValues(tenant, {
          storageClassName: 'ocs-storagecluster-ceph-rbd',
        }),
        60_000,
      );
      expect(status).toBe('failed');
      expect(log).toMatch(
        /storageClassName: cluster 'ocp-e2e' has no StorageClass "ocs-storagecluster-ceph-rbd" \(it has: gp2-csi, gp3-csi\)/,
      );
      expect(
        world.github
          .pullRequests(GITOPS.owner, GITOPS.repo)
          .filter(p => p.head === `clearml/${tenant}`),
      ).toEqual([]);
    });
  },
);
