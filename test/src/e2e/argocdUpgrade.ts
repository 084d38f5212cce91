/**
 * After an upgrade (or change) pull request is merged, what Argo CD does, played against the Kubernetes API double
 * over HTTP:
 * - refresh: the app of apps applies the tenant's changed Applications (a new chart `targetRevision`); each is then
 *   `OutOfSync`, its `history` still the last deployment (what runs is the old chart version);
 * - sync: each Application's chart is rendered at its new version (`helm template` of the packaged chart) and applied:
 *   objects updated in place (PUT, as `kubectl apply` ends up), new ones created, those the new version no longer
 *   renders pruned (`syncPolicy.automated.prune`); the status records the new revisions and a new history entry.
 */
import fs from 'fs';
import yaml from 'js-yaml';
import path from 'path';
import { KubernetesApiDouble } from '@internal/clearml-test-utils';
import { KubeObject, syncApplications } from '../charts/argocdSync';
import { ArgocdSimulation, patchStatus } from './argocdSimulation';
import { argocdRequest } from './argocdRequest';
import { syncedStatus } from './argocdSyncStatus';

const key = (o: KubeObject) =>
  `${o.apiVersion}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;

/** One write as Argo CD's controller makes it; a refusal throws with the API server's answer. */
async function send(
  kubernetes: KubernetesApiDouble,
  method: 'POST' | 'PUT' | 'DELETE',
  object: KubeObject,
): Promise<void> {
  const response = await argocdRequest(
    kubernetes,
    method,
    object,
    method === 'DELETE' ? undefined : object,
  );
  if (!response.ok)
    throw new Error(
      `${method} ${object.kind} ${object.metadata.name}: ${response.status} ${await response.text()}`,
    );
}

function applicationsOf(repoRoot: string, tenantDir: string): KubeObject[] {
  return yaml.loadAll(
    fs.readFileSync(
      path.join(repoRoot, tenantDir, 'applications.yaml'),
      'utf8',
    ),
  ) as KubeObject[];
}

/** The app of apps applies the merged Applications (an upgrade's or a change's): new specs or new ones, `OutOfSync` until synced. */
export async function argocdRefresh(options: {
  kubernetes: KubernetesApiDouble;
  repoRoot: string;
  tenantDir: string;
}): Promise<KubeObject[]> {
  const { kubernetes } = options;
  const applications = applicationsOf(options.repoRoot, options.tenantDir);
  for (const app of applications) {
    const live = kubernetes.get(
      app.apiVersion,
      app.kind,
      app.metadata.name,
      app.metadata.namespace,
    );
    if (!live) {
      // A new Application (a change turned a release on): the app of apps creates it, not synced yet.
      await send(kubernetes, 'POST', app);
      await patchStatus(kubernetes, app, { sync: { status: 'OutOfSync' } });
      continue;
    }
    // kubectl apply of the manifest leaves the status Argo CD wrote (the CRD has no status subresource).
    await send(kubernetes, 'PUT', {
      ...app,
      status: (live as any).status,
      metadata: {
        ...app.metadata,
        resourceVersion: live.metadata?.resourceVersion,
      },
    } as any);
    await patchStatus(kubernetes, app, {
      sync: { ...(live as any).status?.sync, status: 'OutOfSync' },
    });
  }
  return applications;
}

/**
 * Argo CD syncs the refreshed Applications: what they render now applied (new chart versions, changed values, a new
 * release), the status saying so. Throws the API server's refusal of the first write it refuses (the double refuses
 * a StatefulSet's volumeClaimTemplates change as a cluster does).
 */
export async function argocdSyncUpgrade(options: {
  kubernetes: KubernetesApiDouble;
  repoRoot: string;
  tenantDir: string;
  clusterVersion: string;
  /** The simulation of the previous sync: what each Application deployed before. */
  previous: ArgocdSimulation;
  gitRevision?: string;
}): Promise<
  ArgocdSimulation & { updated: string[]; created: string[]; pruned: string[] }
> {
  const { kubernetes } = options;
  const applicationObjects = applicationsOf(
    options.repoRoot,
    options.tenantDir,
  );
  const applications = await syncApplications({
    repoRoot: options.repoRoot,
    applicationsFile: path.join(
      options.repoRoot,
      options.tenantDir,
      'applications.yaml',
    ),
    clusterVersion: options.clusterVersion,
  });
  const updated: string[] = [];
  const created: string[] = [];
  const pruned: string[] = [];
  for (const app of applications) {
    for (const object of app.objects) {
      const live = kubernetes.get(
        object.apiVersion,
        object.kind,
        object.metadata.name,
        object.metadata.namespace,
      );
      if (live) {
        await send(kubernetes, 'PUT', {
          ...object,
          metadata: {
            ...object.metadata,
            resourceVersion: live.metadata?.resourceVersion,
          },
        } as any);
        updated.push(key(object));
      } else {
        await send(kubernetes, 'POST', object);
        created.push(key(object));
      }
    }
    const rendered = new Set(app.objects.map(key));
    const before =
      options.previous.applications.find(a => a.name === app.name)?.objects ??
      [];
    for (const object of before.filter(o => !rendered.has(key(o)))) {
      await send(kubernetes, 'DELETE', object);
      pruned.push(key(object));
    }
  }
  for (const app of applicationObjects) {
    await patchStatus(kubernetes, app, {
      ...syncedStatus(kubernetes, app, options.gitRevision),
      health: { status: 'Progressing' },
    });
  }
  return { applications, applicationObjects, updated, created, pruned };
}
