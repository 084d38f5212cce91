/**
 * The world of the upgrade end-to-end suite: the e2e world (GitHub and Kubernetes doubles) at a Kubernetes version,
 * the charts' Helm repository double serving the packaged charts, and a backend that can be restarted with other
 * chart versions (its config is read at startup) while its SQLite files, so the catalog's tenants and the
 * scaffolder's tasks, are kept. The platform group is group:default/platform (alice).
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import { TenantHealth } from '@clearml-openshift/plugin-clearml-common';
import {
  HelmRepositoryDouble,
  referencePath,
} from '@internal/clearml-test-utils';
import { E2eWorld, GITOPS, startWorld, tenantFormValues } from '../fixtures';
import { checkout } from '../argocdSimulation';
import {
  backendApi,
  eventually,
  runTenantTemplate,
  startTenantBackend,
} from './backendApi';

export async function startUpgradeWorld(kubernetesVersion: string) {
  const world: E2eWorld = await startWorld({ kubernetesVersion });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'clearml-upgrade-e2e-'));
  const helm = await HelmRepositoryDouble.start({
    charts: [
      'clearml-7.14.1.tgz',
      'clearml-7.14.4.tgz',
      'clearml-agent-5.3.0.tgz',
      'clearml-agent-5.3.2.tgz',
    ].map(f => referencePath('clearml-charts', 'packaged', f)),
    pathPrefix: '/clearml-helm-charts',
  });
  const config = world.config as any;
  config.backend.database = {
    client: 'better-sqlite3',
    connection: { directory: path.join(tmp, 'db') },
  };
  config.clearml.fleet = { platformGroup: 'group:default/platform' };
  let backend:
    Awaited<ReturnType<typeof startTenantBackend>>['backend'] | undefined;
  let baseUrl = '';
  const api = backendApi(() => baseUrl);

  return {
    world,
    helm,
    api,
    alice: backendApi(() => baseUrl, 'user:default/alice'),

    /** (Re)starts the backend with clearml.charts at these versions. */
    async startBackend(clearml: string, agent: string) {
      await backend?.stop();
      config.clearml.charts = {
        ...config.clearml.charts,
        clearml: { repository: helm.url, version: clearml },
        'clearml-agent': { repository: helm.url, version: agent },
      };
      ({ backend, baseUrl } = await startTenantBackend(world));
    },

    /** Runs the New ClearML tenant template (agent on) as its owner; its pull request once the entity is registered. */
    async createTenant(tenant: string) {
      const { task, log } = await runTenantTemplate(
        api,
        tenantFormValues(tenant, { agent: true, agentQueue: 'gpu' }),
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
    },

    /** Merges as a reviewer would; a fresh checkout of the default branch (as Argo CD's repo server has it) and its commit. */
    merge(number: number): { dir: string; sha: string } {
      world.github.mergePullRequest(GITOPS.owner, GITOPS.repo, number);
      const dir = fs.mkdtempSync(path.join(tmp, 'checkout-'));
      return {
        dir,
        sha: checkout(world.github, GITOPS.owner, GITOPS.repo, 'main', dir),
      };
    },

    async health(tenant: string): Promise<TenantHealth> {
      const { status, body } = await api(
        `/api/clearml/v1/health?entityRef=${encodeURIComponent(`resource:default/${tenant}`)}`,
      );
      expect({ status, error: body?.error?.message }).toEqual({
        status: 200,
        error: undefined,
      });
      return body;
    },

    /** The tenant's row on the fleet page. */
    async fleetRow(tenant: string) {
      const { body } = await api('/api/clearml/v1/tenants');
      return body.items.find(
        (t: any) => t.entityRef === `resource:default/${tenant}`,
      );
    },

    /** What a refused run must leave unchanged: GitHub writes, cluster writes. */
    writes() {
      return {
        github: world.github.writes.length,
        kubernetes: world.kubernetes.writeRequests().length,
      };
    },

    async close() {
      await backend?.stop();
      await helm.close();
      await world.close();
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/** Each chart: what runs, what is configured, drift; by chart name. */
export const chartVersions = (report: { charts?: TenantHealth['charts'] }) =>
  report.charts
    ?.map(c => [c.chart, c.deployed, c.configured, c.drift])
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
