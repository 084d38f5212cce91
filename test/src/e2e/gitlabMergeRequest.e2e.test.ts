/**
 * A GitLab GitOps repository end to end: the real template, run through the
 * scaffolder's tasks API, opens a merge request on the GitLab API double (a
 * project in a subgroup, read and written by gitbeaker through
 * `integrations.gitlab`), the catalog registers the tenant from the GitLab
 * blob URL pinned to the commit, and the tenant's health report (the card)
 * and the fleet page wait for review until a reviewer merges, then follow
 * Argo CD to a running tenant.
 * A re-run after a failure resumes the same branch and merge request; a bad
 * token, a missing project and a protected branch are refused with nothing
 * written.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import { startTestBackend } from '@backstage/backend-test-utils';
import {
  defaultNamespace,
  TenantHealth,
} from '@clearml-openshift/plugin-clearml-common';
import { E2eWorld, startWorld, tenantFormValues } from './fixtures';
import { argocdSync, runControllers } from './argocdSimulation';
import { GITLAB_ACCESS, GitlabApiDouble } from '@internal/clearml-test-utils';
import {
  backendApi,
  eventually,
  runTenantTemplate,
  startTenantBackend,
} from './__testUtils__/backendApi';

jest.setTimeout(180_000);

const CLUSTER_VERSION = '1.32.5';
const PROJECT = 'platform/infra/gitops';
const LOCKED = 'platform/infra/gitops-locked';
const TOKEN = 'glpat-e2e-bot';

let world: E2eWorld;
let gitlab: GitlabApiDouble;
/** A second instance whose integration token it does not accept. */
let revoked: GitlabApiDouble;
let backend: Awaited<ReturnType<typeof startTestBackend>>;
let baseUrl: string;
let repoRoot: string;
const api = backendApi(() => baseUrl);

const repoUrl = (double: GitlabApiDouble, project: string) => {
  const [repo, ...group] = project.split('/').reverse();
  return `${double.host}?owner=${group.reverse().join('/')}&repo=${repo}`;
};

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

const pullRequestStage = (report: TenantHealth) =>
  report.lifecycle?.stages.find(s => s.id === 'pullRequest');

beforeAll(async () => {
  world = await startWorld({ kubernetesVersion: CLUSTER_VERSION });
  gitlab = await GitlabApiDouble.start({
    tokens: { [TOKEN]: { username: 'backstage-bot' } },
  });
  revoked = await GitlabApiDouble.start({
    tokens: { 'glpat-other': { username: 'backstage-bot' } },
  });
  const members = { 'backstage-bot': GITLAB_ACCESS.developer };
  gitlab.createProject({ path: PROJECT, members });
  gitlab.createProject({
    path: LOCKED,
    members,
    protectedBranches: ['main', 'clearml/*'],
  });
  revoked.createProject({ path: PROJECT, members });
  const config = world.config as any;
  config.integrations.gitlab = [gitlab, revoked].map(double => ({
    host: double.host,
    baseUrl: double.url,
    apiBaseUrl: double.apiBaseUrl,
    token: double === gitlab ? TOKEN : 'glpat-revoked',
  }));
  config.clearml.gitops.repositories.push(
    repoUrl(gitlab, PROJECT),
    repoUrl(gitlab, LOCKED),
    repoUrl(gitlab, 'platform/infra/missing'),
    repoUrl(revoked, PROJECT),
  );
  repoRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'clearml-gitlab-'));
  ({ backend, baseUrl } = await startTenantBackend(world));
});

afterAll(async () => {
  await backend?.stop();
  await world?.close();
  await gitlab?.close();
  await revoked?.close();
  if (repoRoot) fs.rmSync(repoRoot, { recursive: true, force: true });
});

describe('a GitLab GitOps repository', () => {
  it('the template opens a merge request; the card waits for review until it is merged, then follows Argo CD to running', async () => {
    const tenant = 'gamma';
    const { task, log, output } = await runTenantTemplate(
      api,
      tenantFormValues(tenant, { repoUrl: repoUrl(gitlab, PROJECT) }),
      90_000,
    );
    expect([task.status, log]).toEqual(['completed', expect.any(String)]);

    const [mr] = gitlab.mergeRequests(PROJECT);
    expect(mr).toMatchObject({
      iid: 1,
      sourceBranch: `clearml/${tenant}`,
      targetBranch: 'main',
      state: 'opened',
      title: 'ClearML tenant gamma on ocp-e2e',
    });
    expect(mr.description).toContain('### What merging does');
    const head = gitlab.branchHead(PROJECT, `clearml/${tenant}`)!;
    // One commit of exactly the tenant's files, on top of main.
    expect(head.parents).toEqual([gitlab.branchHead(PROJECT, 'main')!.sha]);
    expect(gitlab.changedPaths(head.sha)).toEqual(
      [
        'applications.yaml',
        'catalog-info.yaml',
        'credentials.yaml',
        'isolation.yaml',
        'namespace.yaml',
        'routes.yaml',
        'clearml-values.yaml',
        'scc-grants.yaml',
        'tenant-settings.yaml',
      ]
        .map(f => `tenants/${tenant}/${f}`)
        .sort(),
    );
    expect(output.links.find((l: any) => l.title === 'Pull request').url).toBe(
      `${gitlab.url}/${PROJECT}/-/merge_requests/1`,
    );
    // The catalog read the tenant's file through its GitLab reader, at the merge request's commit.
    const { body: entity } = await eventually(
      `resource:default/${tenant}`,
      async () => {
        const r = await api(
          `/api/catalog/entities/by-name/resource/default/${tenant}`,
        );
        return r.status === 200 ? r : undefined;
      },
    );
    expect(
      entity.metadata.annotations['backstage.io/managed-by-location'],
    ).toBe(
      `url:${gitlab.url}/${PROJECT}/-/blob/${head.sha}/tenants/${tenant}/catalog-info.yaml`,
    );
    expect(
      gitlab.requests.some(
        r =>
          r.path ===
            `/projects/${PROJECT}/repository/files/tenants/${tenant}/catalog-info.yaml/raw` &&
          r.query.ref === head.sha &&
          r.status === 200,
      ),
    ).toBe(true);

    // In review: progressing, never down, and the stage links the merge request.
    const waiting = await health(tenant);
    expect(waiting.status).toBe('progressing');
    expect(waiting.statusReason).toBe(
      'Waiting for review: Merge request !1 waiting for review',
    );
    expect(pullRequestStage(waiting)).toMatchObject({
      state: 'active',
      url: `${gitlab.url}/${PROJECT}/-/merge_requests/1`,
    });
    expect(
      world.kubernetes.get('v1', 'Namespace', defaultNamespace(tenant)),
    ).toBeUndefined();
    // The fleet page shows the same stage.
    const fleet = await api('/api/clearml/v1/tenants');
    expect(
      fleet.body.items.find(
        (t: any) => t.entityRef === `resource:default/${tenant}`,
      ),
    ).toMatchObject({
      status: 'progressing',
      stage: 'pullRequest',
      stageSummary: 'Merge request !1 waiting for review',
    });

    // A reviewer merges; Argo CD checks out main and syncs; the controllers start the pods.
    gitlab.mergeMergeRequest(PROJECT, 1);
    const merged = await health(tenant);
    expect(pullRequestStage(merged)).toMatchObject({
      state: 'done',
      summary: 'Merge request !1 merged',
    });
    for (const [file, { content }] of Object.entries(
      gitlab.filesAt(PROJECT, 'main'),
    )) {
      fs.mkdirSync(path.dirname(path.join(repoRoot, file)), {
        recursive: true,
      });
      fs.writeFileSync(path.join(repoRoot, file), content);
    }
    const simulation = await argocdSync({
      kubernetes: world.kubernetes,
      repoRoot,
      tenantDir: `tenants/${tenant}`,
      clusterVersion: CLUSTER_VERSION,
      gitRevision: gitlab.branchHead(PROJECT, 'main')!.sha,
    });
    const { refused } = await runControllers(world.kubernetes, simulation);
    expect(refused).toEqual([]);
    const running = await eventually('healthy', async () => {
      const report = await health(tenant);
      return report.status === 'healthy' ? report : undefined;
    });
    expect(running.lifecycle).toMatchObject({ current: 'rollout' });
    expect(running.lifecycle!.stages.map(s => [s.id, s.state])).toEqual([
      ['request', 'done'],
      ['pullRequest', 'done'],
      ['sync', 'done'],
      ['rollout', 'done'],
    ]);
  });

  it('a re-run after a failed run resumes the same branch and opens its merge request once', async () => {
    const tenant = 'theta';
    gitlab.failOn({
      method: 'POST',
      path: new RegExp(`^/projects/${PROJECT}/merge_requests$`),
      status: 500,
      times: 1,
    });
    const failed = await runTenantTemplate(
      api,
      tenantFormValues(tenant, { repoUrl: repoUrl(gitlab, PROJECT) }),
      90_000,
    );
    expect(failed.status).toBe('failed');
    expect(failed.log).toMatch(/failed with 500 .*open the merge request/);
    const pushed = gitlab.branchHead(PROJECT, `clearml/${tenant}`)!.sha;
    expect(
      gitlab
        .mergeRequests(PROJECT)
        .filter(m => m.sourceBranch.endsWith(tenant)),
    ).toEqual([]);

    const commits = gitlab.writes.filter(w =>
      w.path.endsWith('/repository/commits'),
    ).length;
    const rerun = await runTenantTemplate(
      api,
      tenantFormValues(tenant, { repoUrl: repoUrl(gitlab, PROJECT) }),
      90_000,
    );
    expect([rerun.status, rerun.log]).toEqual([
      'completed',
      expect.any(String),
    ]);
    expect(rerun.log).toContain(
      `Branch clearml/${tenant} already holds these files: merge request !`,
    );
    expect(gitlab.branchHead(PROJECT, `clearml/${tenant}`)!.sha).toBe(pushed);
    expect(
      gitlab.writes.filter(w => w.path.endsWith('/repository/commits')).length,
    ).toBe(commits);
    expect(
      gitlab
        .mergeRequests(PROJECT)
        .filter(m => m.sourceBranch.endsWith(tenant)),
    ).toHaveLength(1);
  });

  it("refuses a path outside the tenant's directory before any request, whatever the template asks", async () => {
    const requests = gitlab.requests.length;
    const { status, body } = await api('/api/scaffolder/v2/dry-run', {
      method: 'POST',
      body: JSON.stringify({
        template: {
          apiVersion: 'scaffolder.backstage.io/v1beta3',
          kind: 'Template',
          metadata: { name: 'hostile', namespace: 'default' },
          spec: {
            type: 'service',
            parameters: [],
            steps: [
              {
                id: 'pr',
                name: 'Write into another tenant',
                action: 'clearml:gitops:pull-request',
                input: {
                  repoUrl: repoUrl(gitlab, PROJECT),
                  tenant: 'kappa',
                  targetPath: 'tenants/gamma',
                  description: 'Overwrite gamma',
                },
              },
            ],
          },
        },
        values: {},
        directoryContents: [],
      }),
    });
    const log = JSON.stringify(body);
    expect({ status, log }).toEqual({
      status: expect.any(Number),
      log: expect.stringContaining(
        "targetPath: must be the tenant's directory tenants/kappa or below it",
      ),
    });
    // Only the catalog's re-reads of registered tenants' files reach GitLab meanwhile.
    expect(
      gitlab.requests.slice(requests).filter(r => !r.path.endsWith('/raw')),
    ).toEqual([]);
  });

  it.each([
    [
      'a token GitLab does not accept',
      () => repoUrl(revoked, PROJECT),
      () => revoked,
      /refused the token \(401 Unauthorized\).*integrations\.gitlab\[\]\.token/,
    ],
    [
      'a project that does not exist',
      () => repoUrl(gitlab, 'platform/infra/missing'),
      () => gitlab,
      /repoUrl: project platform\/infra\/missing does not exist on 127\.0\.0\.1:\d+/,
    ],
    [
      'a work branch GitLab protects',
      () => repoUrl(gitlab, LOCKED),
      () => gitlab,
      /branchName: GitLab does not let the token push to clearml\/kappa/,
    ],
  ])('refuses %s with nothing written', async (_, url, double, message) => {
    const before = double().writes.filter(w => w.status < 400).length;
    const result = await runTenantTemplate(
      api,
      tenantFormValues('kappa', { repoUrl: url() }),
      90_000,
    );
    expect(result.status).toBe('failed');
    expect(result.log).toMatch(message);
    expect(double().writes.filter(w => w.status < 400)).toHaveLength(before);
    expect(
      (await api('/api/catalog/entities/by-name/resource/default/kappa'))
        .status,
    ).toBe(404);
  });
});
