/**
 * Size tiers from config (`clearml.tiers`, as plain data): names, sizes and
 * quantities checked, every field a tier leaves out taken from the default
 * tier of the same name (or the first). A bad key is an Error naming it.
 */
import { bytesOf, cpuMillis, isQuantity } from './quantities';
import {
  ContainerResources,
  DEFAULT_TIERS,
  ResourceAmounts,
  SIZED_CLAIMS,
  SIZED_CONTAINERS,
  SizedClaim,
  SizedContainer,
  SizeTier,
} from './tiers';

/**
 * The rule a tier name follows.
 *
 * @public
 */
export const TIER_NAME_RULE =
  'must be a DNS-1123 label (lower-case letters, digits and -, at most 63 characters)';

/** @public */
export function isTierName(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length <= 63 &&
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(value)
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads configured tiers (`clearml.tiers`, as plain data). A field a tier does
 * not set takes the value of the default tier of the same name, or of the
 * first default tier. Throws an Error naming the first bad key.
 *
 * @public
 */
export function resolveTiers(
  configured: unknown,
  key = 'clearml.tiers',
): SizeTier[] {
  if (configured === undefined || configured === null)
    return DEFAULT_TIERS.map(t => structuredClone(t));
  if (!Array.isArray(configured) || configured.length === 0)
    throw new Error(`${key}: must be a non-empty list of tiers`);
  const seen = new Set<string>();
  return configured.map((entry, i) => {
    const at = `${key}[${i}]`;
    if (!isObject(entry)) throw new Error(`${at}: must be an object`);
    if (!isTierName(entry.name))
      throw new Error(`${at}.name: ${TIER_NAME_RULE}`);
    if (seen.has(entry.name))
      throw new Error(`${at}.name: '${entry.name}' is listed twice`);
    seen.add(entry.name);
    const base = structuredClone(
      DEFAULT_TIERS.find(t => t.name === entry.name) ?? DEFAULT_TIERS[0],
    );
    const tier: SizeTier = {
      ...base,
      name: entry.name,
      title: typeof entry.title === 'string' ? entry.title : entry.name,
      description:
        typeof entry.description === 'string'
          ? entry.description
          : base.description,
    };
    const amounts = (
      value: unknown,
      path: string,
      fallback: ResourceAmounts,
    ): ResourceAmounts => {
      if (value === undefined) return fallback;
      if (!isObject(value)) throw new Error(`${path}: must be an object`);
      const out = { ...fallback };
      for (const field of ['cpu', 'memory'] as const) {
        if (value[field] === undefined) continue;
        if (!isQuantity(value[field]))
          throw new Error(
            `${path}.${field}: must be a Kubernetes quantity such as 500m, 2 or 4Gi`,
          );
        out[field] = String(value[field]);
      }
      return out;
    };
    const resources = (
      value: unknown,
      path: string,
      fallback: ContainerResources,
    ): ContainerResources => {
      if (value === undefined) return fallback;
      if (!isObject(value)) throw new Error(`${path}: must be an object`);
      const out = {
        requests: amounts(
          value.requests,
          `${path}.requests`,
          fallback.requests,
        ),
        limits: amounts(value.limits, `${path}.limits`, fallback.limits),
      };
      for (const field of ['cpu', 'memory'] as const) {
        const read = field === 'cpu' ? cpuMillis : bytesOf;
        if (read(out.requests[field]) > read(out.limits[field]))
          throw new Error(
            `${path}.requests.${field}: must not exceed limits.${field}`,
          );
      }
      return out;
    };
    if (entry.containers !== undefined) {
      if (!isObject(entry.containers))
        throw new Error(`${at}.containers: must be an object`);
      for (const name of Object.keys(entry.containers)) {
        if (!(SIZED_CONTAINERS as readonly string[]).includes(name))
          throw new Error(
            `${at}.containers.${name}: unknown container; one of ${SIZED_CONTAINERS.join(', ')}`,
          );
        tier.containers[name as SizedContainer] = resources(
          entry.containers[name],
          `${at}.containers.${name}`,
          base.containers[name as SizedContainer],
        );
      }
    }
    if (entry.storage !== undefined) {
      if (!isObject(entry.storage))
        throw new Error(`${at}.storage: must be an object`);
      for (const [name, value] of Object.entries(entry.storage)) {
        if (!(SIZED_CLAIMS as readonly string[]).includes(name))
          throw new Error(
            `${at}.storage.${name}: unknown claim; one of ${SIZED_CLAIMS.join(', ')}`,
          );
        if (!isQuantity(value) || bytesOf(value) <= 0)
          throw new Error(`${at}.storage.${name}: must be a size such as 20Gi`);
        tier.storage[name as SizedClaim] = String(value);
      }
    }
    if (entry.taskPods !== undefined) {
      if (!isObject(entry.taskPods))
        throw new Error(`${at}.taskPods: must be an object`);
      const count = entry.taskPods.count ?? base.taskPods.count;
      if (!Number.isInteger(count) || (count as number) < 0)
        throw new Error(`${at}.taskPods.count: must be a whole number >= 0`);
      tier.taskPods = {
        count: count as number,
        ...resources(entry.taskPods, `${at}.taskPods`, base.taskPods),
      };
    }
    return tier;
  });
}

/**
 * The tier a tenant request names among the platform's tiers (`clearml.tiers`,
 * else the defaults); the first when it names none. An unknown name adds a
 * refusal (`tier: …`) and gives undefined.
 *
 * @public
 */
export function chooseTier(
  configured: readonly SizeTier[] | undefined,
  name: string | undefined,
  problems: string[],
): SizeTier | undefined {
  const tiers = configured?.length ? configured : DEFAULT_TIERS;
  if (name === undefined) return tiers[0];
  const tier = tiers.find(t => t.name === name);
  if (!tier) {
    problems.push(
      `tier: must be one of ${tiers.map(t => `'${t.name}'`).join(', ')} (the tiers in clearml.tiers; got ${JSON.stringify(name)})`,
    );
  }
  return tier;
}
