/**
 * The effective change of a tenant's change pull request, so a reviewer does not have to diff YAML: which files
 * change, which Helm values keys each values file adds, removes or changes, which SCC grants are added or removed,
 * which objects of the directory Argo CD creates, updates or prunes, and which chart releases a new or removed
 * Application installs or deletes. Pure: computed from the tenant's files as they are on the default branch and as
 * they are re-rendered, both by path.
 */
import yaml from 'js-yaml';
import { VALUES_FILE_NAMES } from '../values/files';
import { GITOPS_FILE_NAMES, PLAIN_MANIFEST_FILES } from '../argocd/files';
import { RESOURCES_FINALIZER } from '../argocd/applications';

/**
 * A tenant's files by path (repository paths or paths in the tenant's directory; both sides alike).
 *
 * @public
 */
export type TenantFileContents = ReadonlyMap<string, string | Buffer>;

/**
 * One values key: its dotted path, and its value before and after (absent where it did not or does not exist;
 * `hidden` where the key holds a credential, whose value is never shown).
 *
 * @public
 */
export interface ValuesKeyChange {
  key: string;
  before?: string;
  after?: string;
  hidden?: boolean;
}

/** @public */
export interface ValuesFileChange {
  /** The values file's path. */
  file: string;
  /** The Application and release that read it (from the Applications after the change, else before). */
  application?: string;
  release?: string;
  added: ValuesKeyChange[];
  removed: ValuesKeyChange[];
  changed: ValuesKeyChange[];
}

/**
 * An SCC granted to a ServiceAccount by the RoleBindings of `scc-grants.yaml`.
 *
 * @public
 */
export interface SccGrantRef {
  scc: string;
  serviceAccount: string;
  namespace?: string;
}

/** @public */
export interface ManifestRef {
  kind: string;
  name: string;
  namespace?: string;
}

/**
 * An Argo CD Application of the tenant: the chart release it deploys.
 *
 * @public
 */
export interface ReleaseRef {
  application: string;
  chart?: string;
  version?: string;
  release?: string;
  /** The name of its values file in the tenant's directory. */
  valuesFile?: string;
  /** Whether it carries the resources finalizer (its removal deletes the release's objects). */
  finalizer: boolean;
}

/**
 * What merging the change does.
 *
 * @public
 */
export interface EffectiveChange {
  files: { added: string[]; removed: string[]; modified: string[] };
  values: ValuesFileChange[];
  grants: { added: SccGrantRef[]; removed: SccGrantRef[] };
  /** The plain manifests' objects and the Applications, as Argo CD applies them. */
  objects: {
    created: ManifestRef[];
    updated: ManifestRef[];
    pruned: ManifestRef[];
  };
  /** Applications added (their chart's release is installed), removed (deleted) or changed (upgraded or re-valued). */
  releases: {
    installed: ReleaseRef[];
    deleted: ReleaseRef[];
    updated: ReleaseRef[];
  };
}

const VALUES_FILES: readonly string[] = Object.values(VALUES_FILE_NAMES);
const SCC_ROLE_PREFIX = 'system:openshift:scc:';

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function textOf(content: string | Buffer | undefined): string | undefined {
  return content === undefined ? undefined : content.toString();
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
function canonical(value: unknown): string {
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

function valuesChange(
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

function grantsOf(content: string | undefined): Map<string, SccGrantRef> {
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
function objectsOf(
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

function releaseOf(doc: any): ReleaseRef {
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

function asText(files: TenantFileContents): Map<string, string> {
  return new Map([...files].map(([p, c]) => [p, textOf(c)!]));
}

/**
 * What replacing the tenant's `current` files by `next` changes.
 *
 * @public
 */
export function effectiveChange(
  current: TenantFileContents,
  next: TenantFileContents,
): EffectiveChange {
  const before = asText(current);
  const after = asText(next);
  const paths = [...new Set([...before.keys(), ...after.keys()])].sort();
  const added = paths.filter(p => !before.has(p));
  const removed = paths.filter(p => !after.has(p));
  const modified = paths.filter(
    p => before.has(p) && after.has(p) && before.get(p) !== after.get(p),
  );

  const oldObjects = objectsOf(before);
  const newObjects = objectsOf(after);
  const readers = new Map<string, ReleaseRef>();
  for (const { ref, doc } of [...oldObjects.values(), ...newObjects.values()]) {
    if (ref.kind !== 'Application') continue;
    const release = releaseOf(doc);
    if (release.valuesFile) readers.set(release.valuesFile, release);
  }
  const values = [...added, ...removed, ...modified]
    .filter(p => VALUES_FILES.includes(baseName(p)))
    .sort()
    .map(p => {
      const reader = readers.get(baseName(p));
      return {
        ...valuesChange(p, before.get(p), after.get(p)),
        ...(reader ? { application: reader.application } : {}),
        ...(reader?.release ? { release: reader.release } : {}),
      };
    })
    .filter(v => v.added.length + v.removed.length + v.changed.length > 0);

  const grantsFile = (files: Map<string, string>) =>
    [...files].find(([p]) => baseName(p) === GITOPS_FILE_NAMES.grants)?.[1];
  const oldGrants = grantsOf(grantsFile(before));
  const newGrants = grantsOf(grantsFile(after));

  const ids = [...new Set([...oldObjects.keys(), ...newObjects.keys()])].sort();
  const objects: EffectiveChange['objects'] = {
    created: [],
    updated: [],
    pruned: [],
  };
  const releases: EffectiveChange['releases'] = {
    installed: [],
    deleted: [],
    updated: [],
  };
  for (const id of ids) {
    const o = oldObjects.get(id);
    const n = newObjects.get(id);
    const isApplication = (n ?? o)!.ref.kind === 'Application';
    if (!o) {
      objects.created.push(n!.ref);
      if (isApplication) releases.installed.push(releaseOf(n!.doc));
    } else if (!n) {
      objects.pruned.push(o.ref);
      if (isApplication) releases.deleted.push(releaseOf(o.doc));
    } else if (canonical(o.doc) !== canonical(n.doc)) {
      objects.updated.push(n.ref);
      if (isApplication) releases.updated.push(releaseOf(n.doc));
    }
  }

  return {
    files: { added, removed, modified },
    values,
    grants: {
      added: [...newGrants]
        .filter(([k]) => !oldGrants.has(k))
        .map(([, g]) => g),
      removed: [...oldGrants]
        .filter(([k]) => !newGrants.has(k))
        .map(([, g]) => g),
    },
    objects,
    releases,
  };
}

/**
 * Whether the change changes no file at all.
 *
 * @public
 */
export function isEmptyChange(change: EffectiveChange): boolean {
  const { added, removed, modified } = change.files;
  return added.length + removed.length + modified.length === 0;
}
