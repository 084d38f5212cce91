/**
 * The in-memory objects, with the metadata the API server owns: uid,
 * resourceVersion (one counter for the whole cluster, as etcd's revision),
 * creationTimestamp and generation.
 */
import { randomUUID } from 'node:crypto';
import { apiVersionOf, ResourceType } from './resources';
import type { StoreChange } from './watch';

export type KubeObject = {
  apiVersion?: string;
  kind?: string;
  metadata?: Record<string, any>;
  [key: string]: any;
};

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value));
}

function key(
  t: ResourceType,
  namespace: string | undefined,
  name: string,
): string {
  return `${apiVersionOf(t)}|${t.resource}|${t.namespaced ? (namespace ?? '') : ''}|${name}`;
}

/** RFC 3339 without fractions, as metav1.Time serialises. */
function now(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export class ObjectStore {
  private readonly objects = new Map<string, KubeObject>();
  private revision = 1000;

  /** Told of every persisted change (the double's watches). */
  constructor(
    private readonly onChange: (change: StoreChange) => void = () => {},
  ) {}

  get resourceVersion(): string {
    return String(this.revision);
  }

  get(
    t: ResourceType,
    namespace: string | undefined,
    name: string,
  ): KubeObject | undefined {
    const found = this.objects.get(key(t, namespace, name));
    return found && clone(found);
  }

  /** Copies of the objects of a kind (in one namespace, or all) that `match` accepts; only those are copied. */
  list(
    t: ResourceType,
    namespace: string | undefined,
    match: (o: KubeObject) => boolean = () => true,
  ): KubeObject[] {
    return [...this.objects.values()]
      .filter(o => o.apiVersion === apiVersionOf(t) && o.kind === t.kind)
      .filter(
        o =>
          !t.namespaced ||
          namespace === undefined ||
          o.metadata?.namespace === namespace,
      )
      .filter(match)
      .sort((a, b) =>
        `${a.metadata?.namespace ?? ''}/${a.metadata?.name}`.localeCompare(
          `${b.metadata?.namespace ?? ''}/${b.metadata?.name}`,
        ),
      )
      .map(clone);
  }

  /**
   * The object as the server would store it (server-owned metadata filled in),
   * written only when `persist` is true (dry run computes the same answer).
   */
  create(t: ResourceType, obj: KubeObject, persist: boolean): KubeObject {
    const stored = clone(obj);
    stored.apiVersion = apiVersionOf(t);
    stored.kind = t.kind;
    stored.metadata = {
      ...stored.metadata,
      uid: randomUUID(),
      creationTimestamp: now(),
    };
    if (!t.namespaced) delete stored.metadata.namespace;
    if (stored.spec !== undefined) stored.metadata.generation = 1;
    delete stored.metadata.resourceVersion;
    if (t.kind === 'Namespace') {
      stored.spec = { finalizers: ['kubernetes'], ...stored.spec };
      stored.status = { phase: 'Active', ...stored.status };
    }
    if (persist) {
      stored.metadata.resourceVersion = String(++this.revision);
      this.objects.set(
        key(t, stored.metadata.namespace, stored.metadata.name),
        clone(stored),
      );
      this.onChange({
        type: 'ADDED',
        object: clone(stored),
        revision: this.revision,
      });
    }
    return stored;
  }

  /** Replaces `current` with `next`, keeping the server-owned metadata of `current`. */
  update(
    t: ResourceType,
    current: KubeObject,
    next: KubeObject,
    persist: boolean,
  ): KubeObject {
    const stored = clone(next);
    stored.apiVersion = apiVersionOf(t);
    stored.kind = t.kind;
    stored.metadata = {
      ...stored.metadata,
      name: current.metadata!.name,
      ...(t.namespaced ? { namespace: current.metadata!.namespace } : {}),
      uid: current.metadata!.uid,
      creationTimestamp: current.metadata!.creationTimestamp,
      resourceVersion: current.metadata!.resourceVersion,
    };
    if (
      current.metadata!.generation !== undefined ||
      stored.spec !== undefined
    ) {
      const changed =
        JSON.stringify(current.spec) !== JSON.stringify(stored.spec);
      stored.metadata.generation =
        (current.metadata!.generation ?? 0) + (changed ? 1 : 0);
    }
    const unchanged = JSON.stringify(stored) === JSON.stringify(current);
    if (persist && !unchanged) {
      stored.metadata.resourceVersion = String(++this.revision);
      this.objects.set(
        key(t, stored.metadata.namespace, stored.metadata.name),
        clone(stored),
      );
      this.onChange({
        type: 'MODIFIED',
        object: clone(stored),
        previous: clone(current),
        revision: this.revision,
      });
    }
    return stored;
  }

  delete(
    t: ResourceType,
    namespace: string | undefined,
    name: string,
    persist: boolean,
  ): void {
    if (persist) {
      const gone = this.objects.get(key(t, namespace, name));
      this.objects.delete(key(t, namespace, name));
      this.revision++;
      if (gone) {
        this.onChange({
          type: 'DELETED',
          object: {
            ...clone(gone),
            metadata: {
              ...gone.metadata,
              resourceVersion: String(this.revision),
            },
          },
          revision: this.revision,
        });
      }
    }
  }

  /** Stores an object as is (keeping given metadata), filling what the server would own. */
  put(t: ResourceType, obj: KubeObject): KubeObject {
    const stored = clone(obj);
    stored.apiVersion = apiVersionOf(t);
    stored.kind = t.kind;
    stored.metadata = {
      uid: randomUUID(),
      creationTimestamp: now(),
      ...stored.metadata,
      resourceVersion: String(++this.revision),
    };
    if (!t.namespaced) delete stored.metadata.namespace;
    const k = key(t, stored.metadata.namespace, stored.metadata.name);
    const previous = this.objects.get(k);
    this.objects.set(k, clone(stored));
    this.onChange({
      type: previous ? 'MODIFIED' : 'ADDED',
      object: clone(stored),
      ...(previous ? { previous: clone(previous) } : {}),
      revision: this.revision,
    });
    return stored;
  }
}
