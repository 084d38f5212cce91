/**
 * The local instance's way (`clearml.credentials.delivery: direct`, as
 * app-config.yaml sets it): the template's `clearml:credentials:create` step
 * creates the tenant's Secret on the cluster before the pull request (its
 * namespace too, labelled for the tenant), the pull request holds no
 * credentials file and no value, Argo CD adopts the namespace at the merge,
 * the tenant comes up healthy, and the agent logs in to the ClearML server
 * started with the apiserver's environment.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import { startTestBackend } from '@backstage/backend-test-utils';
import { defaultNamespace } from '@clearml-openshift/plugin-clearml-common';
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

const CLUSTER_VERSION = '1.32.5';

let world: E2eWorld;
let backend: Awaited<ReturnType<typeof startTestBackend>>;
let baseUrl: string;
let repoRoot: string;
const api = backendApi(() => baseUrl);

beforeAll(async () => {
  world = await startWorld({ kubernetesVersion: CLUSTER_VERSION });
  (world.config.clearml as any).credentials = { delivery: 'direct' };
  repoRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'clearml-direct-'));
  ({ backend, baseUrl } = await startTenantBackend(world));
});

afterAll(async () => {
  await backend?.stop();
  await world?.close();
  if (repoRoot) fs.rmSync(repoRoot, { recursive: true, force: true });
});

it("direct delivery: the Secret exists before the merge, nothing of it is in git, and the merged tenant's agent logs in", async () => {
  const tenant = 'theta';
  const namespace = defaultNamespace(tenant);
  const { task, log } = await runTenantTemplate(
    api,
    tenantFormValues(tenant, { securityProfile: 'anyuid', agent: true }),
    60_000,
  );
  expect([task.status, log]).toEqual(['completed', expect.any(String)]);

  // Before the merge: the namespace (labelled for the tenant) and the Secret, made by the credentials step after the PR step.
  expect(
    world.kubernetes.get('v1', 'Namespace', namespace)?.metadata?.labels,
  ).toMatchObject({ 'clear.ml/tenant': tenant });
  const secret = world.kubernetes.get(
    'v1',
    'Secret',
    'clearml-credentials',
    namespace,
  ) as any;
  expect(Object.keys(secret.data)).toContain('agentk8sglue_secret');
  const generated = Object.values(secret.data as Record<string, string>).map(
    v => Buffer.from(v, 'base64').toString(),
  );

  const pull = world.github
    .pullRequests(GITOPS.owner, GITOPS.repo)
    .find(p => p.head === `clearml/${tenant}`)!;
  const files = world.github.filesAt(
    GITOPS.owner,
    GITOPS.repo,
    `clearml/${tenant}`,
  );
  expect(Object.keys(files)).not.toContain(
    `tenants/${tenant}/credentials.yaml`,
  );
  for (const content of [
    pull.body,
    ...Object.values(files).map(f => f.content),
  ])
    for (const value of generated.filter(v => v.length >= 40))
      expect(content).not.toContain(value);

  world.github.mergePullRequest(GITOPS.owner, GITOPS.repo, pull.number);
  checkout(world.github, GITOPS.owner, GITOPS.repo, 'main', repoRoot);
  // The namespace exists already: Argo CD adopts it (the double answers the Namespace's create with 409, so skip it).
  const simulation = await argocdSync({
    kubernetes: world.kubernetes,
    repoRoot,
    tenantDir: `tenants/${tenant}`,
    clusterVersion: CLUSTER_VERSION,
    skip: o => o.kind === 'Namespace' && o.metadata.name === namespace,
  });
  const { refused } = await runControllers(world.kubernetes, simulation);
  expect(refused).toEqual([]);
  await eventually('healthy', async () => {
    const { body } = await api(
      `/api/clearml/v1/health?entityRef=${encodeURIComponent(`resource:default/${tenant}`)}`,
    );
    return body.status === 'healthy' ? body : undefined;
  });

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
  const server = await ClearmlServerDouble.start({
    auth: clearmlServerConfigFromEnv(envOf('clearml-apiserver')),
  });
  try {
    const response = await server.fetchVia()(
      `https://clearml-${tenant}-api.apps.ocp-e2e.example.com/auth.login`,
      {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${agentEnv.CLEARML_API_ACCESS_KEY}:${agentEnv.CLEARML_API_SECRET_KEY}`).toString('base64')}`,
        },
      },
    );
    expect(response.status).toBe(200);
  } finally {
    await server.close();
  }
});
