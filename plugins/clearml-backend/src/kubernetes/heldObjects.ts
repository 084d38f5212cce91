/**
 * The objects an informer holds, by namespace. A tenant's objects of one kind
 * are alike (the same labels, images, conditions), so each namespace's set is
 * kept as one deflated JSON array in a one-byte string: about a quarter of the
 * heap plain objects take, which keeps the view at a few kB per tenant. A
 * check unpacks the few namespaces it reads (microseconds); a change repacks
 * its namespace. Kinds with one small object per tenant stay plain.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';

type ByName = Map<string, any>;

export class HeldObjects {
  private readonly plain = new Map<string, ByName>();
  private readonly packed = new Map<string, string>();

  constructor(private readonly pack: boolean) {}

  namespaces(): string[] {
    return [...(this.pack ? this.packed.keys() : this.plain.keys())];
  }

  /** The objects of a namespace ('' for cluster-scoped ones). */
  list(namespace: string): any[] {
    return [...this.read(namespace).values()];
  }

  get(namespace: string, name: string): any | undefined {
    return this.read(namespace).get(name);
  }

  /** Applies changes to one namespace (one repack). */
  update(namespace: string, change: (byName: ByName) => void): void {
    const byName = this.read(namespace);
    change(byName);
    this.write(namespace, byName);
  }

  /** Replaces everything: objects grouped by namespace. */
  replace(groups: Map<string, ByName>): void {
    this.plain.clear();
    this.packed.clear();
    for (const [namespace, byName] of groups) this.write(namespace, byName);
  }

  /** Bytes of what is held: the packed strings (one byte a character), or the objects' JSON when plain. */
  bytes(): number {
    let total = 0;
    for (const packed of this.packed.values()) total += packed.length;
    for (const byName of this.plain.values())
      for (const o of byName.values()) total += JSON.stringify(o).length;
    return total;
  }

  drop(namespace: string): void {
    this.plain.delete(namespace);
    this.packed.delete(namespace);
  }

  private read(namespace: string): ByName {
    if (!this.pack) return new Map(this.plain.get(namespace) ?? []);
    const packed = this.packed.get(namespace);
    if (packed === undefined) return new Map();
    const items: Array<[string, any]> = JSON.parse(
      inflateRawSync(Buffer.from(packed, 'latin1')).toString('utf8'),
    );
    return new Map(items);
  }

  private write(namespace: string, byName: ByName): void {
    if (!byName.size) {
      this.drop(namespace);
      return;
    }
    if (!this.pack) {
      this.plain.set(namespace, byName);
      return;
    }
    this.packed.set(
      namespace,
      deflateRawSync(JSON.stringify([...byName])).toString('latin1'),
    );
  }
}
