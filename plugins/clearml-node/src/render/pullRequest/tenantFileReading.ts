/**
 * Reading a tenant's rendered files for the effective change: YAML documents, Helm values flattened to dotted keys
 * (a credential's value never kept), the SCC grants of the RoleBindings, and the objects Argo CD applies with the
 * release each Application installs. Pure.
 */
import yaml from 'js-yaml';
import { sccRoleName } from '@clearml-openshift/plugin-clearml-common';
import { GITOPS_FILE_NAMES, PLAIN_MANIFEST_FILES } from '../argocd/files';
import { RESOURCES_FINALIZER } from '../argocd/applications';
import type {
  ManifestRef,
  ReleaseRef,
  SccGrantRef,
  ValuesFileChange,
} from './effectiveChange';

// The RoleBinding (and ClusterRole) name of an SCC grant, system:openshift:scc:<scc>, without the SCC.
const SCC_ROLE_PREFIX = sccRoleName('');

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function documents(content: string | undefined): any[] {
  if (!content) return [];
  try {
    return (yaml.loadAll(content) as unknown[]).filter(
      (d): d is object => !!d && typeof d === 'object',
    );
  } catch {
    return [];
  }
}

/** JSON with sorted keys: two objects are the same when their canonical forms are. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map(k => `${JSON.stringify(k)}:${canonical((value as any)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** A key holding a credential (password, token, secret, API or access key): listed, its value never shown. */
function isCredentialKey(key: string): boolean {
  return (
    !/^existing/i.test(key) &&
    /(password|passwd|secret|token|(api|access|private|secret)key)$/i.test(key)
  );
}

function keyPath(parent: string, key: string): string {
  const segment = /^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key);
  if (!parent) return segment === key ? key : `[${segment}]`;
  return segment === key ? `${parent}.${key}` : `${parent}[${segment}]`;
}

/** Every leaf of a values tree (lists are leaves: Helm replaces them whole; an empty map is none) by dotted path. */
function leaves(
  tree: unknown,
  parent = '',
  out = new Map<string, { value: unknown; hidden: boolean }>(),
  hidden = false,
) {
  if (tree && typeof tree === 'object' && !Array.isArray(tree)) {
    for (const [key, value] of Object.entries(tree)) {
      leaves(value, keyPath(parent, key), out, hidden || isCredentialKey(key));
    }
  } else if (parent) {
    out.set(parent, { value: tree, hidden });
  }
  return out;
}

function shown(value: unknown): string {
  return typeof value === 'string' ? value : canonical(value);
}

export function valuesChange(
  file: string,
  before: string | undefined,
  after: string | undefined,
): ValuesFileChange {
  const old = leaves(documents(before)[0] ?? {});
  const next = leaves(documents(after)[0] ?? {});
  const change: ValuesFileChange = {
    file,
    added: [],
    removed: [],
    changed: [],
  };
  const entry = (key: string) => {
    const o = old.get(key);
    const n = next.get(key);
    const hidden = !!(o?.hidden || n?.hidden);
    return {
      key,
      ...(o && !hidden ? { before: shown(o.value) } : {}),
      ...(n && !hidden ? { after: shown(n.value) } : {}),
      ...(hidden ? { hidden } : {}),
    };
  };
  for (const key of [...new Set([...old.keys(), ...next.keys()])].sort()) {
    const o = old.get(key);
    const n = next.get(key);
    if (!o) change.added.push(entry(key));
    else if (!n) change.removed.push(entry(key));
    else if (canonical(o.value) !== canonical(n.value))
      change.changed.push(entry(key));
  }
  return change;
}

export function grantsOf(
  content: string | undefined,
): Map<string, SccGrantRef> {
  const grants = new Map<string, SccGrantRef>();
  for (const doc of documents(content)) {
    const role = doc.roleRef?.name;
    if (doc.kind !== 'RoleBinding' || typeof role !== 'string') continue;
    if (!role.startsWith(SCC_ROLE_PREFIX)) continue;
    for (const subject of doc.subjects ?? []) {
      if (subject?.kind !== 'ServiceAccount') continue;
      const grant: SccGrantRef = {
        scc: role.slice(SCC_ROLE_PREFIX.length),
        serviceAccount: String(subject.name),
        ...((subject.namespace ?? doc.metadata?.namespace)
          ? { namespace: String(subject.namespace ?? doc.metadata.namespace) }
          : {}),
      };
      grants.set(canonical(grant), grant);
    }
  }
  return grants;
}

function refOf(doc: any): ManifestRef {
  return {
    kind: String(doc.kind ?? '?'),
    name: String(doc.metadata?.name ?? '?'),
    ...(doc.metadata?.namespace
      ? { namespace: String(doc.metadata.namespace) }
      : {}),
  };
}

/** The objects Argo CD applies from the tenant's files (plain manifests and Applications), by identity. */
export function objectsOf(
  files: Map<string, string>,
): Map<string, { ref: ManifestRef; doc: any }> {
  const objects = new Map<string, { ref: ManifestRef; doc: any }>();
  for (const [path, content] of files) {
    const name = baseName(path);
    if (
      !PLAIN_MANIFEST_FILES.includes(name) &&
      name !== GITOPS_FILE_NAMES.applications
    )
      continue;
    for (const doc of documents(content)) {
      const ref = refOf(doc);
      const group = String(doc.apiVersion ?? '').split('/', 2);
      const id = `${group.length > 1 ? group[0] : ''}/${ref.kind}/${ref.namespace ?? ''}/${ref.name}`;
      objects.set(id, { ref, doc });
    }
  }
  return objects;
}

export function releaseOf(doc: any): ReleaseRef {
  const chartSource = [...(doc.spec?.sources ?? []), doc.spec?.source].find(
    (s: any) => s?.chart,
  );
  return {
    application: String(doc.metadata?.name ?? '?'),
    ...(chartSource
      ? {
          chart: String(chartSource.chart),
          version: String(chartSource.targetRevision),
          ...(chartSource.helm?.releaseName
            ? { release: String(chartSource.helm.releaseName) }
            : {}),
          ...(typeof chartSource.helm?.valueFiles?.[0] === 'string'
            ? { valuesFile: baseName(chartSource.helm.valueFiles[0]) }
            : {}),
        }
      : {}),
    finalizer: (doc.metadata?.finalizers ?? []).some(
      (f: unknown) =>
        typeof f === 'string' && f.startsWith(RESOURCES_FINALIZER),
    ),
  };
}
