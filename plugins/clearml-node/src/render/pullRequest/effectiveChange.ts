/**
 * The effective change of a tenant's change pull request, so a reviewer does not have to diff YAML: which files
 * change, which Helm values keys each values file adds, removes or changes, which SCC grants are added or removed,
 * which objects of the directory Argo CD creates, updates or prunes, and which chart releases a new or removed
 * Application installs or deletes. Pure: computed from the tenant's files as they are on the default branch and as
 * they are re-rendered, both by path.
 */
import { VALUES_FILE_NAMES } from '../values/files';
import { GITOPS_FILE_NAMES } from '../argocd/files';
import {
  baseName,
  canonical,
  grantsOf,
  objectsOf,
  releaseOf,
  valuesChange,
} from './tenantFileReading';

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

function asText(files: TenantFileContents): Map<string, string> {
  return new Map([...files].map(([p, c]) => [p, c.toString()]));
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
