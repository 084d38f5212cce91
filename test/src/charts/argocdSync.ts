/**
 * What Argo CD applies for a tenant's GitOps directory, computed offline: for
 * each rendered Application, its chart (the packaged public chart of that name
 * and version) rendered by `helm template` with the values files its `ref`
 * source points at and `--kube-version` = `helm.kubeVersion` or the cluster's
 * version, plus the directory source's plain manifests; every object in sync
 * wave order (waves, then Argo CD's kind order within a wave).
 */
import fs from 'fs';
import yaml from 'js-yaml';
import path from 'path';
import { ARGOCD_SYNC_WAVE_ANNOTATION } from '@clearml-openshift/plugin-clearml-common';
import { helmTemplate, packagedChartFile } from './helm';

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [key: string]: any;
}

export interface SyncedApplication {
  name: string;
  release: string;
  chart: string;
  /** The `--kube-version` helm got. */
  kubeVersion: string;
  objects: KubeObject[];
}

/** Argo CD's order of kinds within one wave (the part of it the tenants' objects use). */
const KIND_ORDER = [
  'Namespace',
  'ServiceAccount',
  'Secret',
  'ConfigMap',
  'PersistentVolumeClaim',
  'Role',
  'RoleBinding',
  'Service',
  'Deployment',
  'StatefulSet',
  'PodDisruptionBudget',
  'Ingress',
];

function wave(object: KubeObject): number {
  return Number(
    object.metadata.annotations?.[ARGOCD_SYNC_WAVE_ANNOTATION] ?? 0,
  );
}

function kindRank(object: KubeObject): number {
  const i = KIND_ORDER.indexOf(object.kind);
  return i < 0 ? KIND_ORDER.length : i;
}

export function syncOrder(objects: readonly KubeObject[]): KubeObject[] {
  return [...objects].sort(
    (a, b) => wave(a) - wave(b) || kindRank(a) - kindRank(b),
  );
}

function parse(text: string): KubeObject[] {
  return (yaml.loadAll(text) as KubeObject[]).filter(
    doc => doc && typeof doc === 'object' && doc.kind,
  );
}

/** Argo CD skips Helm test hooks; other hooks are not used by these charts. */
function isHelmTest(object: KubeObject): boolean {
  return /\btest(-success|-failure)?\b/.test(
    object.metadata.annotations?.['helm.sh/hook'] ?? '',
  );
}

/**
 * The objects each Application of `applicationsFile` syncs. `repoRoot` is a
 * checkout of the GitOps repository (the `$values` ref and directory sources
 * resolve in it); `clusterVersion` is what Argo CD passes to helm unless the
 * Application sets `helm.kubeVersion`.
 */
export async function syncApplications(options: {
  repoRoot: string;
  applicationsFile: string;
  clusterVersion: string;
}): Promise<SyncedApplication[]> {
  const applications = parse(fs.readFileSync(options.applicationsFile, 'utf8'));
  const synced: SyncedApplication[] = [];
  for (const app of applications) {
    const sources: any[] = app.spec.sources;
    const refs = new Map(
      sources.filter(s => s.ref).map(s => [`$${s.ref}`, options.repoRoot]),
    );
    const objects: KubeObject[] = [];
    const chartSource = sources.find(s => s.chart);
    const kubeVersion: string =
      chartSource.helm.kubeVersion ?? options.clusterVersion;
    const values = (chartSource.helm.valueFiles as string[]).map(file => {
      const [ref, ...rest] = file.split('/');
      const root = refs.get(ref);
      if (!root)
        throw new Error(
          `${app.metadata.name}: value file ${file} names no ref source`,
        );
      return path.join(root, ...rest);
    });
    const rendered = await helmTemplate({
      release: chartSource.helm.releaseName,
      chart: packagedChartFile(chartSource.chart, chartSource.targetRevision),
      namespace: app.spec.destination.namespace,
      values,
      kubeVersion,
    });
    objects.push(...parse(rendered).filter(o => !isHelmTest(o)));
    for (const dir of sources.filter(s => s.path)) {
      const include = new Set<string>(
        /^\{(.*)\}$/.exec(dir.directory.include)![1].split(','),
      );
      const folder = path.join(options.repoRoot, dir.path);
      for (const file of fs
        .readdirSync(folder)
        .filter(f => include.has(f))
        .sort()) {
        objects.push(
          ...parse(fs.readFileSync(path.join(folder, file), 'utf8')),
        );
      }
    }
    // Objects without a namespace go to the destination namespace (cluster-scoped Namespaces excepted).
    for (const object of objects) {
      if (object.kind !== 'Namespace')
        object.metadata.namespace ??= app.spec.destination.namespace;
    }
    synced.push({
      name: app.metadata.name,
      release: chartSource.helm.releaseName,
      chart: chartSource.chart,
      kubeVersion,
      objects: syncOrder(objects),
    });
  }
  return synced;
}
