/**
 * Merge = a running tenant: the real template opens the pull request (GitHub
 * double), a reviewer merges it, Argo CD applies what the merged directory
 * holds to the cluster (Kubernetes double: the Applications, then Namespace,
 * SCC RoleBindings, the charts' objects rendered by `helm template`, Routes, in
 * sync waves), the controllers start the pods, and the health API of the
 * tenant's catalog entity turns from `progressing` to `healthy`. Without the
 * grants, the health API names the SCC refusal and the grant that fixes it.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import yaml from 'js-yaml';
import { startTestBackend } from '@backstage/backend-test-utils';
import {
  defaultNamespace,
  TenantHealth,
} from '@clearml-openshift/plugin-clearml-common';
import { E2eWorld, GITOPS, startWorld, tenantFormValues } from './fixtures';
import { argocdSync, checkout, runControllers } from './argocdSimulation';
import {
  ClearmlServerDouble,
  clearmlServerConfigFromEnv,
} from '@internal/clearml-test-utils';
import { resolveContainerEnv } from '../charts/containerEnv';
import {
  backendApi,
  eventually,
  runTenantTemplate,
  startTenantBackend,
} from './__testUtils__/backendApi';

jest.setTimeout(120_000);

/** What the Kubernetes double's GET /version reports (accepted by clearml 7.14.4 / clearml-agent 5.3.2). */
const CLUSTER_VERSION = '1.32.5';

let world: E2eWorld;
let backend: Awaited<ReturnType<typeof startTestBackend>>;
let baseUrl: string;
let repoRoot: string;
const api = backendApi(() => baseUrl);

async function openPullRequest(
  tenant: string,
  values: Record<string, unknown>,
) {
  const { task, log } = await runTenantTemplate(
    api,
    tenantFormValues(tenant, values),
    60_000,
  );
  expect([task.status, log]).toEqual(['completed', expect.any(String)]);
  const pull = world.github
    .pullRequests(GITOPS.owner, GITOPS.repo)
    .find(p => p.head === `clearml/${tenant}`)!;
  expect(pull).toBeDefined();
  // The tenant is in the catalog (registered from the pull request's commit) before the merge.
  await eventually(`resource:default/${tenant}`, async () =>
    (await api(`/api/catalog/entities/by-name/resource/default/${tenant}`))
      .status === 200
      ? true
      : undefined,
  );
  return pull;
}

async function health(tenant: string): Promise<TenantHealth> {
  const { status, body } = await api(
    `/api/clearml/v1/health?entityRef=${encodeURIComponent(`resource:default/${tenant}`)}`,
  );
  expect({ status, error: body?.error?.message }).toEqual({
    status: 200,
    error: undefined,
  });
  return body;
}

/** Merges as a reviewer would and checks out the default branch, as Argo CD's repo server does. */
function merge(number: number): void {
  world.github.mergePullRequest(GITOPS.owner, GITOPS.repo, number);
  checkout(world.github, GITOPS.owner, GITOPS.repo, 'main', repoRoot);
}

beforeAll(async () => {
  world = await startWorld({ kubernetesVersion: CLUSTER_VERSION });
  repoRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'clearml-merge-'));
  ({ backend, baseUrl } = await startTenantBackend(world));
});

afterAll(async () => {
  await backend?.stop();
  await world?.close();
  if (repoRoot) fs.rmSync(repoRoot, { recursive: true, force: true });
});

describe('merging the pull request deploys the tenant', () => {
  it('from the pull request to a healthy tenant: Applications, namespace, grants, charts and Routes applied by Argo CD', async () => {
    const tenant = 'delta';
    const namespace = defaultNamespace(tenant);
    const pull = await openPullRequest(tenant, {
      securityProfile: 'anyuid',
      agent: true,
      agentQueue: 'gpu',
    });

    // The pull request is the whole GitOps unit, and says what merging does.
    const files = world.github.filesAt(
      GITOPS.owner,
      GITOPS.repo,
      `clearml/${tenant}`,
    );
    expect(
      Object.keys(files)
        .filter(p => p.startsWith(`tenants/${tenant}/`))
        .sort(),
    ).toEqual(
      [
        'applications.yaml',
        'catalog-info.yaml',
        'clearml-agent-values.yaml',
        'clearml-values.yaml',
        'credentials.yaml',
        'isolation.yaml',
        'namespace.yaml',
        'routes.yaml',
        'scc-grants.yaml',
        'tenant-settings.yaml',
      ].map(f => `tenants/${tenant}/${f}`),
    );
    expect(pull.body).toContain('### What merging does');
    expect(pull.body).toContain('`clearml-delta-server`');
    expect(pull.body).toContain(
      `The charts accept the cluster's Kubernetes \`${CLUSTER_VERSION}\`.`,
    );
    // Nothing is on the cluster before the merge.
    expect(world.kubernetes.get('v1', 'Namespace', namespace)).toBeUndefined();
    // Before the merge nothing runs (`progressing` while the pull request waits for review, where the backend tracks it).
    expect(['down', 'progressing']).toContain((await health(tenant)).status);

    merge(pull.number);
    const simulation = await argocdSync({
      kubernetes: world.kubernetes,
      repoRoot,
      tenantDir: `tenants/${tenant}`,
      clusterVersion: CLUSTER_VERSION,
    });
    expect(
      simulation.applicationObjects.map(a => [
        a.metadata.name,
        a.metadata.namespace,
        a.metadata.labels?.['clear.ml/tenant'],
      ]),
    ).toEqual([
      ['clearml-delta-server', 'openshift-gitops', tenant],
      ['clearml-delta-agent', 'openshift-gitops', tenant],
    ]);
    // Applied: the namespace owned by the tenant, the grants, the chart's workloads and the Routes.
    expect(
      world.kubernetes.get('v1', 'Namespace', namespace)?.metadata?.labels,
    ).toMatchObject({ 'clear.ml/tenant': tenant });
    expect(
      world.kubernetes
        .list('rbac.authorization.k8s.io/v1', 'RoleBinding', namespace)
        .map((b: any) => b.metadata.name),
    ).toContain('system:openshift:scc:anyuid');
    expect(
      world.kubernetes.list('apps/v1', 'Deployment', namespace).length,
    ).toBeGreaterThanOrEqual(6);
    expect(
      world.kubernetes.list('route.openshift.io/v1', 'Route', namespace),
    ).toHaveLength(3);

    // Applied but not started yet: progressing.
    await eventually('progressing after the sync', async () =>
      (await health(tenant)).status === 'progressing' ? true : undefined,
    );

    const { refused } = await runControllers(world.kubernetes, simulation);
    expect(refused).toEqual([]);
    const healthy = await eventually('healthy', async () => {
      const report = await health(tenant);
      return report.status === 'healthy' ? report : undefined;
    });
    expect(healthy.components.map(c => [c.id, c.status])).toEqual(
      expect.arrayContaining([
        ['apiserver', 'healthy'],
        ['webserver', 'healthy'],
        ['mongodb', 'healthy'],
        ['agent', 'healthy'],
      ]),
    );
    // The charts Argo CD synced (its status' per-source revisions) are the configured ones: no drift.
    expect(
      healthy.charts?.map(c => [c.chart, c.deployed, c.configured, c.drift]),
    ).toEqual([
      ['clearml', '7.14.4', '7.14.4', false],
      ['clearml-agent', '5.3.2', '5.3.2', false],
    ]);

    // The agent logs in with its generated credential: the apiserver and the agent as the cluster runs them,
    // their environment read from the Secret the External Secrets Operator generated (nothing of it in git).
    const secret = world.kubernetes.get(
      'v1',
      'Secret',
      'clearml-credentials',
      namespace,
    ) as any;
    expect(secret.metadata.ownerReferences[0].kind).toBe('ExternalSecret');
    const envOf = (deployment: string) =>
      resolveContainerEnv(
        (
          world.kubernetes.get(
            'apps/v1',
            'Deployment',
            deployment,
            namespace,
          ) as any
        ).spec.template.spec.containers[0],
        [secret],
      );
    const agentEnv = envOf('clearml-agent');
    const generated = Buffer.from(
      secret.data.agentk8sglue_secret,
      'base64',
    ).toString();
    expect(agentEnv.CLEARML_API_SECRET_KEY).toBe(generated);
    for (const content of Object.values(files).map(f => f.content))
      expect(content).not.toContain(generated);
    const server = await ClearmlServerDouble.start({
      auth: clearmlServerConfigFromEnv(envOf('clearml-apiserver')),
    });
    try {
      const login = (key: string, secretKey: string) =>
        server.fetchVia()(
          `https://api.${tenant}.apps.ocp.example.com/auth.login`,
          {
            method: 'POST',
            headers: {
              authorization: `Basic ${Buffer.from(`${key}:${secretKey}`).toString('base64')}`,
            },
          },
        );
      const ok = await login(
        agentEnv.CLEARML_API_ACCESS_KEY,
        agentEnv.CLEARML_API_SECRET_KEY,
      );
      expect(ok.status).toBe(200);
      expect(((await ok.json()) as any).data.token).toEqual(expect.any(String));
      const refusedLogin = await login('ACCESSKEY', 'SECRETKEY');
      expect(refusedLogin.status).toBe(401);
    } finally {
      await server.close();
    }
  });

  it('without the SCC grants the pods are refused, and the health API names the grant that fixes it', async () => {
    const tenant = 'epsilon';
    const namespace = defaultNamespace(tenant);
    const pull = await openPullRequest(tenant, { securityProfile: 'nonroot' });
    const grants = yaml.loadAll(
      world.github.filesAt(GITOPS.owner, GITOPS.repo, `clearml/${tenant}`)[
        `tenants/${tenant}/scc-grants.yaml`
      ].content,
    ) as any[];
    expect(grants.map(g => g.metadata.name).sort()).toEqual([
      'system:openshift:scc:anyuid',
      'system:openshift:scc:nonroot-v2',
    ]);

    merge(pull.number);
    // An ApplicationSet that deploys the chart and Routes but not scc-grants.yaml.
    const simulation = await argocdSync({
      kubernetes: world.kubernetes,
      repoRoot,
      tenantDir: `tenants/${tenant}`,
      clusterVersion: CLUSTER_VERSION,
      skip: o =>
        o.kind === 'RoleBinding' &&
        o.metadata.name.startsWith('system:openshift:scc:'),
    });
    expect(
      world.kubernetes
        .list('rbac.authorization.k8s.io/v1', 'RoleBinding', namespace)
        .filter((b: any) =>
          b.metadata.name.startsWith('system:openshift:scc:'),
        ),
    ).toEqual([]);
    const { refused } = await runControllers(world.kubernetes, simulation);
    expect(refused.sort()).toEqual([
      'clearml-elastic-master',
      'clearml-mongodb',
      'clearml-redis-master',
    ]);

    const report = await eventually('the SCC diagnosis', async () => {
      const r = await health(tenant);
      return r.components.some(c =>
        c.problems.some(p => p.reason === 'SCCForbidden'),
      )
        ? r
        : undefined;
    });
    expect(['down', 'degraded']).toContain(report.status);
    const mongodb = report.components.find(c => c.id === 'mongodb')!;
    const problem = mongodb.problems.find(p => p.reason === 'SCCForbidden')!;
    expect(problem.message).toContain('clearml-mongodb');
    expect(problem.hint).toMatch(/nonroot-v2/);
  });
});
