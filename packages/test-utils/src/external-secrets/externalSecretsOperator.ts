/**
 * What the External Secrets Operator does with the objects of a tenant's
 * `credentials.yaml`, for the tests: an `ExternalSecret` whose `dataFrom`
 * names a `Password` generator gets its target Secret, one generated value per
 * `secretKeys` entry (letters and digits, `length` long, `digits` of them
 * digits, `symbols` symbols) merged with `target.template.data`
 * (`mergePolicy: Merge`), created only when the Secret does not exist
 * (`refreshPolicy: CreatedOnce`: never regenerated). Only what these
 * manifests use; anything else is refused so a test cannot pass on a
 * manifest the real operator would not act on.
 */
import { randomInt } from 'node:crypto';

export interface ManifestObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [key: string]: unknown };
  [key: string]: any;
}

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const SYMBOLS = '~!@#$%^&*()_+`-={}|[]\\:"<>?,./';

function password(spec: Record<string, any>): string {
  const length: number = spec.length ?? 24;
  const digits: number = spec.digits ?? Math.floor(length / 4);
  const symbols: number = spec.symbols ?? Math.floor(length / 4);
  const letters = spec.noUpper ? LETTERS.slice(26) : LETTERS;
  const chars = [
    ...Array.from({ length: digits }, () => DIGITS[randomInt(10)]),
    ...Array.from(
      { length: symbols },
      () => (spec.symbolCharacters ?? SYMBOLS)[randomInt(SYMBOLS.length)],
    ),
  ];
  while (chars.length < length) chars.push(letters[randomInt(letters.length)]);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join('');
}

/**
 * The Secrets the operator creates for these objects (in `existing`'s
 * absence), as `data` (base64) the way the API server stores them.
 */
export function externalSecretsReconcile(
  objects: readonly ManifestObject[],
  existing: (namespace: string, name: string) => boolean = () => false,
): ManifestObject[] {
  const secrets: ManifestObject[] = [];
  for (const es of objects.filter(o => o.kind === 'ExternalSecret')) {
    if (es.apiVersion !== 'external-secrets.io/v1')
      throw new Error(
        `ExternalSecret ${es.metadata.name}: ${es.apiVersion} is not served`,
      );
    const namespace = es.metadata.namespace!;
    const target = es.spec.target ?? {};
    const name: string = target.name ?? es.metadata.name;
    if (es.spec.refreshPolicy !== 'CreatedOnce')
      throw new Error(
        `ExternalSecret ${es.metadata.name}: the tests only play refreshPolicy CreatedOnce`,
      );
    if (existing(namespace, name)) continue;
    const values: Record<string, string> = {};
    for (const from of es.spec.dataFrom ?? []) {
      const ref = from.sourceRef?.generatorRef;
      if (!ref || ref.kind !== 'Password')
        throw new Error(
          `ExternalSecret ${es.metadata.name}: only Password generators are played`,
        );
      const generator = objects.find(
        o =>
          o.kind === 'Password' &&
          o.apiVersion === ref.apiVersion &&
          o.metadata.name === ref.name &&
          o.metadata.namespace === namespace,
      );
      if (!generator)
        throw new Error(
          `ExternalSecret ${es.metadata.name}: generator Password ${ref.name} is not in namespace ${namespace}`,
        );
      for (const key of generator.spec.secretKeys ?? ['password'])
        values[key] = password(generator.spec);
    }
    const template = target.template;
    if (template?.data) {
      if (template.mergePolicy !== 'Merge')
        throw new Error(
          `ExternalSecret ${es.metadata.name}: with mergePolicy Replace the template's keys replace the generated ones`,
        );
      Object.assign(values, template.data);
    }
    secrets.push({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name,
        namespace,
        labels: template?.metadata?.labels ?? {},
        ownerReferences: [
          {
            apiVersion: es.apiVersion,
            kind: 'ExternalSecret',
            name: es.metadata.name,
            controller: true,
          },
        ],
      },
      type: 'Opaque',
      data: Object.fromEntries(
        Object.entries(values).map(([k, v]) => [
          k,
          Buffer.from(v).toString('base64'),
        ]),
      ),
    });
  }
  return secrets;
}
