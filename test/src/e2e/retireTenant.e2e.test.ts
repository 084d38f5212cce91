/**
 * Retire = a tenant gone, its data kept: the "Retire ClearML tenant" template, run by the tenant's owner, marks the
 * namespace and its claims to be kept (Argo CD's Delete=false) and opens the pull request that removes the tenant's
 * directory (GitHub double); the card says "Retiring"; a reviewer merges it; Argo CD prunes the Applications and
 * their finalizer deletes what they deployed (Kubernetes double): the releases, the SCC grants, the credentials, the
 * NetworkPolicies, but not the kept Namespace and claims; the backend's sweep then removes the catalog entity.
 * Refused with nothing written: another user, a wrong confirmation, a tenant whose pull request is still open.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import { startTestBackend } from '@backstage/backend-test-utils';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import {
  ARGOCD_SYNC_OPTIONS_ANNOTATION,
  defaultNamespace,
  TenantHealth,
} from '@clearml-openshift/plugin-clearml-common';
import { E2eWorld, GITOPS, startWorld, tenantFormValues } from './fixtures';
import { argocdSync, checkout, runControllers } from './argocdSimulation';
import { releaseDatabasesOnStop } from '@internal/clearml-test-utils';
import { argocdPrune, provisionStatefulSetClaims } from './argocdPrune';
import {
  backendApi,
  eventually,
  runTemplate,
  runTenantTemplate,
  startTenantBackend,
} from './__testUtils__/backendApi';

jest.setTimeout(180_000);

const CLUSTER_VERSION = '1.32.5';
const RETIRE_TEMPLATE = 'template:default/clearml-tenant-retire';

let world: E2eWorld;
let backend: Awaited<ReturnType<typeof startTestBackend>>;
let baseUrl: string;
let tmp: string;
const api = backendApi(() => baseUrl);
const mallory = backendApi(() => baseUrl, 'user:default/mallory');

async function openPullRequest(
  tenant: string,
  values: Record<string, unknown> = {},
) {
  const { task, log } = await runTenantTemplate(
    api,
    tenantFormValues(tenant, values),
    60_000,
  );
  expect([task.status, log]).toEqual(['completed', expect.any(String)]);
  await eventually(`resource:default/${tenant}`, async () =>
    (await api(`/api/catalog/entities/by-name/resource/default/${tenant}`))
      .status === 200
      ? true
      : undefined,
  );
  return world.github
    .pullRequests(GITOPS.owner, GITOPS.repo)
    .find(p => p.head === `clearml/${tenant}`)!;
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

/** Merges as a reviewer would; returns a fresh checkout of the default branch, as Argo CD's repo server has it. */
function merge(number: number): string {
  world.github.mergePullRequest(GITOPS.owner, GITOPS.repo, number);
  const dir = fs.mkdtempSync(path.join(tmp, 'checkout-'));
  checkout(world.github, GITOPS.owner, GITOPS.repo, 'main', dir);
  return dir;
}

function retireValues(tenant: string, extra: Record<string, unknown> = {}) {
  return {
    entity: `resource:default/${tenant}`,
    confirm: tenant,
    reason: 'Project ended',
    ...extra,
  };
}

/** What a refused run must leave: no GitHub write, no cluster write. */
function writes() {
  return {
    github: world.github.writes.length,
    kubernetes: world.kubernetes.writeRequests().length,
  };
}

beforeAll(async () => {
  world = await startWorld({ kubernetesVersion: CLUSTER_VERSION });
  (world.config as any).clearml.health.retiredSweepSeconds = 1;
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'clearml-retire-'));
  // Backstage's own scheduler (the test backend's mock runs no task by itself): the sweep runs every second.
  ({ backend, baseUrl } = await startTenantBackend(world, [
    schedulerServiceFactory,
    ...releaseDatabasesOnStop('clearml'),
  ]));
});

afterAll(async () => {
  await backend?.stop();
  await world?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('retiring a tenant', () => {
  it('from a running tenant to a retired one: PR removing its directory, Argo CD prunes, data kept, entity gone', async () => {
    const tenant = 'zeta';
    const namespace = defaultNamespace(tenant);
    const created = await openPullRequest(tenant, {
      agent: true,
      agentQueue: 'gpu',
    });
    const repoRoot = merge(created.number);
    const simulation = await argocdSync({
      kubernetes: world.kubernetes,
      repoRoot,
      tenantDir: `tenants/${tenant}`,
      clusterVersion: CLUSTER_VERSION,
    });
    const claims = await provisionStatefulSetClaims(
      world.kubernetes,
      simulation,
    );
    expect(
      (await runControllers(world.kubernetes, simulation)).refused,
    ).toEqual([]);
    await eventually('healthy', async () =>
      (await health(tenant)).status === 'healthy' ? true : undefined,
    );
    const claimsBefore = world.kubernetes
      .list('v1', 'PersistentVolumeClaim', namespace)
      .map(c => c.metadata?.name);
    expect(claimsBefore).toEqual(expect.arrayContaining(claims));
    expect(claimsBefore.length).toBeGreaterThanOrEqual(3);

    // Refused, nothing written: a user who neither owns the tenant nor is in the platform team; a wrong confirmation.
    const before = writes();
    const denied = await runTemplate(
      mallory,
      RETIRE_TEMPLATE,
      retireValues(tenant),
    );
    expect(denied.status).toBe('failed');
    expect(denied.log).toContain(
      'only the owner of resource:default/zeta (group:default/ml-team) or the platform team',
    );
    const unconfirmed = await runTemplate(
      api,
      RETIRE_TEMPLATE,
      retireValues(tenant, { confirm: 'zeta2' }),
    );
    expect(unconfirmed.status).toBe('failed');
    expect(unconfirmed.log).toContain(
      "confirm: type the tenant's name, zeta, to retire it",
    );
    expect(writes()).toEqual(before);

    // The owner (mock, in ml-team) retires it, keeping the data (the default).
    const retired = await runTemplate(
      api,
      RETIRE_TEMPLATE,
      retireValues(tenant),
    );
    expect([retired.status, retired.log]).toEqual([
      'completed',
      expect.any(String),
    ]);
    const pull = world.github
      .pullRequests(GITOPS.owner, GITOPS.repo)
      .find(p => p.head === `clearml-retire/${tenant}`)!;
    expect(retired.output.links[0].url).toBe(
      `https://github.com/${GITOPS.owner}/${GITOPS.repo}/pull/${pull.number}`,
    );
    // Exactly the tenant's directory goes; nothing else changes.
    const mainFiles = Object.keys(
      world.github.filesAt(GITOPS.owner, GITOPS.repo, 'main'),
    );
    const branchFiles = Object.keys(
      world.github.filesAt(
        GITOPS.owner,
        GITOPS.repo,
        `clearml-retire/${tenant}`,
      ),
    );
    expect(mainFiles.filter(p => !branchFiles.includes(p)).sort()).toEqual(
      mainFiles.filter(p => p.startsWith(`tenants/${tenant}/`)).sort(),
    );
    expect(branchFiles.filter(p => !mainFiles.includes(p))).toEqual([]);
    expect(branchFiles.some(p => p.startsWith(`tenants/${tenant}/`))).toBe(
      false,
    );
    // The reviewer reads what merging does, what is kept and how to delete it later.
    expect(pull.title).toBe(`Retire ClearML tenant ${tenant} on ocp-e2e`);
    expect(pull.body).toContain('### What merging does');
    expect(pull.body).toContain('`clearml-zeta-server`');
    expect(pull.body).toContain('`clearml-zeta-agent`');
    expect(pull.body).toContain('`resources-finalizer.argocd.argoproj.io`');
    expect(pull.body).toContain('### Data: kept');
    expect(pull.body).toContain("oc delete namespace 'clearml-zeta'");
    for (const claim of claimsBefore)
      expect(pull.body).toContain(`\`${claim}\``);
    expect(pull.body).toContain('`RoleBinding/system:openshift:scc:anyuid`');
    expect(pull.body).toContain('`ExternalSecret/clearml-credentials`');
    expect(pull.body).toContain('Reason: Project ended');
    // The data policy is on the cluster before the pull request can be merged.
    const ns = world.kubernetes.get('v1', 'Namespace', namespace)!;
    expect(ns.metadata?.annotations?.[ARGOCD_SYNC_OPTIONS_ANNOTATION]).toBe(
      'Delete=false',
    );
    for (const claim of world.kubernetes.list(
      'v1',
      'PersistentVolumeClaim',
      namespace,
    ))
      expect(
        claim.metadata?.annotations?.[ARGOCD_SYNC_OPTIONS_ANNOTATION],
      ).toBe('Delete=false');

    // The card: retiring, waiting for review; the tenant still runs.
    const retiring = await health(tenant);
    expect(retiring.lifecycle?.current).toBe('retire');
    expect(retiring.lifecycle?.stages.at(-1)).toMatchObject({
      id: 'retire',
      state: 'active',
      summary: `Retiring: Pull request #${pull.number} waiting for review`,
    });
    expect(retiring.status).toBe('progressing');

    // Merged: Argo CD prunes the Applications; their finalizer deletes everything but the kept namespace and claims.
    const afterMerge = merge(pull.number);
    const pruned = await argocdPrune({
      kubernetes: world.kubernetes,
      repoRoot: afterMerge,
      tenantDir: `tenants/${tenant}`,
      simulation,
    });
    expect(pruned.prunedApplications.sort()).toEqual([
      'clearml-zeta-agent',
      'clearml-zeta-server',
    ]);
    expect(pruned.kept).toContain(`Namespace/${namespace}`);
    expect(
      world.kubernetes
        .list('argoproj.io/v1alpha1', 'Application', 'openshift-gitops')
        .filter(a => a.metadata?.labels?.['clear.ml/tenant'] === tenant),
    ).toEqual([]);
    expect(world.kubernetes.list('apps/v1', 'Deployment', namespace)).toEqual(
      [],
    );
    expect(world.kubernetes.list('apps/v1', 'StatefulSet', namespace)).toEqual(
      [],
    );
    expect(
      world.kubernetes.list('route.openshift.io/v1', 'Route', namespace),
    ).toEqual([]);
    expect(
      world.kubernetes.list('networking.k8s.io/v1', 'NetworkPolicy', namespace),
    ).toEqual([]);
    // SCC grants and credentials removed.
    expect(
      world.kubernetes
        .list('rbac.authorization.k8s.io/v1', 'RoleBinding', namespace)
        .filter(b => b.metadata?.name?.startsWith('system:openshift:scc:')),
    ).toEqual([]);
    expect(
      world.kubernetes.list(
        'external-secrets.io/v1',
        'ExternalSecret',
        namespace,
      ),
    ).toEqual([]);
    expect(
      world.kubernetes.get('v1', 'Secret', 'clearml-credentials', namespace),
    ).toBeUndefined();
    // Data kept: the namespace and every claim.
    expect(world.kubernetes.get('v1', 'Namespace', namespace)).toBeDefined();
    expect(
      world.kubernetes
        .list('v1', 'PersistentVolumeClaim', namespace)
        .map(c => c.metadata?.name)
        .sort(),
    ).toEqual([...claimsBefore].sort());

    // The card follows: retired (unless the sweep was quicker and the entity is already gone).
    const retiredReport = await api(
      `/api/clearml/v1/health?entityRef=${encodeURIComponent(`resource:default/${tenant}`)}`,
    );
    // The sweep may remove the entity before this read: then the catalog check below is what a user sees.
    /* eslint-disable jest/no-conditional-expect */
    if (retiredReport.status === 200) {
      expect(retiredReport.body.lifecycle.stages.at(-1)).toMatchObject({
        id: 'retire',
        state: 'done',
        summary: `Retired: Pull request #${pull.number} merged; no Argo CD Application left`,
      });
      expect(retiredReport.body.statusReason).toMatch(/^Retired: /);
    }
    /* eslint-enable jest/no-conditional-expect */
    // Retired: the backend's sweep removes the entity (and its location) from the catalog.
    await eventually('the entity removed from the catalog', async () =>
      (await api(`/api/catalog/entities/by-name/resource/default/${tenant}`))
        .status === 404
        ? true
        : undefined,
    );
    // The fleet page reads the catalog's entity list, which follows the removal a moment later.
    await eventually('the tenant gone from the fleet', async () =>
      (await api('/api/clearml/v1/tenants')).body.items.some(
        (t: any) => t.entityRef === `resource:default/${tenant}`,
      )
        ? undefined
        : true,
    );
  });

  it('with the delete data policy: nothing marked, the namespace and every claim go with the tenant, the entity too', async () => {
    const tenant = 'theta';
    const namespace = defaultNamespace(tenant);
    const created = await openPullRequest(tenant);
    const repoRoot = merge(created.number);
    const simulation = await argocdSync({
      kubernetes: world.kubernetes,
      repoRoot,
      tenantDir: `tenants/${tenant}`,
      clusterVersion: CLUSTER_VERSION,
    });
    await provisionStatefulSetClaims(world.kubernetes, simulation);
    expect(
      world.kubernetes.list('v1', 'PersistentVolumeClaim', namespace).length,
    ).toBeGreaterThanOrEqual(3);

    const kubernetesWrites = world.kubernetes.writeRequests().length;
    const retired = await runTemplate(
      api,
      RETIRE_TEMPLATE,
      retireValues(tenant, { dataPolicy: 'delete' }),
    );
    expect([retired.status, retired.log]).toEqual([
      'completed',
      expect.any(String),
    ]);
    // Nothing is marked on the cluster: the retire only opens the pull request.
    expect(world.kubernetes.writeRequests().length).toBe(kubernetesWrites);
    const pull = world.github
      .pullRequests(GITOPS.owner, GITOPS.repo)
      .find(p => p.head === `clearml-retire/${tenant}`)!;
    expect(pull.body).toContain('### Data: deleted');
    expect(pull.body).not.toContain('oc delete namespace');

    const pruned = await argocdPrune({
      kubernetes: world.kubernetes,
      repoRoot: merge(pull.number),
      tenantDir: `tenants/${tenant}`,
      simulation,
    });
    expect(pruned.kept).toEqual([]);
    expect(world.kubernetes.get('v1', 'Namespace', namespace)).toBeUndefined();
    expect(
      world.kubernetes.list('v1', 'PersistentVolumeClaim', namespace),
    ).toEqual([]);
    expect(world.kubernetes.list('v1', 'Secret', namespace)).toEqual([]);
    await eventually('the entity removed from the catalog', async () =>
      (await api(`/api/catalog/entities/by-name/resource/default/${tenant}`))
        .status === 404
        ? true
        : undefined,
    );
  });

  it('refuses a tenant whose pull request is still open, writing nothing', async () => {
    const tenant = 'eta';
    await openPullRequest(tenant);
    const before = writes();
    const refused = await runTemplate(
      api,
      RETIRE_TEMPLATE,
      retireValues(tenant),
    );
    expect(refused.status).toBe('failed');
    expect(refused.log).toMatch(
      /resource:default\/eta has an open pull request \(pull request #\d+ .* from clearml\/eta is open\)/,
    );
    expect(writes()).toEqual(before);
    expect(
      world.github
        .pullRequests(GITOPS.owner, GITOPS.repo)
        .some(p => p.head === `clearml-retire/${tenant}`),
    ).toBe(false);
  });
});
