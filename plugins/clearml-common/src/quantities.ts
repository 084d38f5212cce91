/**
 * Kubernetes resource quantities ("250m", "2", "512Mi", "1.5Gi", "20G") read
 * as numbers: CPU in millicores, memory and storage in bytes. The tiers, the
 * quota arithmetic and the card's used/hard all read them here.
 */

const BINARY: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};
const DECIMAL: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

const QUANTITY =
  /^([+]?[0-9]+(?:\.[0-9]*)?|[+]?\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$/;

/**
 * The value of a quantity in base units (cores for CPU, bytes for memory), or undefined when it is not one.
 *
 * @public
 */
export function parseQuantity(text: unknown): number | undefined {
  if (typeof text === 'number') return Number.isFinite(text) ? text : undefined;
  if (typeof text !== 'string') return undefined;
  const match = QUANTITY.exec(text.trim());
  if (!match) return undefined;
  const value = Number(match[1]);
  const suffix = match[2] ?? '';
  if (suffix in BINARY) return value * BINARY[suffix];
  if (suffix in DECIMAL) return value * DECIMAL[suffix];
  return value * 10 ** Number(suffix.slice(1));
}

/** @public */
export function isQuantity(text: unknown): boolean {
  return parseQuantity(text) !== undefined;
}

/**
 * CPU in millicores (rounded up, as the API server rounds).
 *
 * @public
 */
export function cpuMillis(text: unknown): number {
  const value = parseQuantity(text);
  return value === undefined ? 0 : Math.ceil(Math.round(value * 1e6) / 1e3);
}

/**
 * Memory or storage in bytes.
 *
 * @public
 */
export function bytesOf(text: unknown): number {
  const value = parseQuantity(text);
  return value === undefined ? 0 : Math.ceil(value);
}

/**
 * Millicores as a quantity: `1500m`, `2`.
 *
 * @public
 */
export function formatCpu(millis: number): string {
  return millis % 1000 === 0 ? String(millis / 1000) : `${millis}m`;
}

/**
 * Bytes as a binary quantity: `512Mi`, `6Gi` (the largest unit that divides it).
 *
 * @public
 */
export function formatBytes(bytes: number): string {
  for (const unit of ['Ti', 'Gi', 'Mi', 'Ki']) {
    if (bytes >= BINARY[unit] && bytes % BINARY[unit] === 0)
      return `${bytes / BINARY[unit]}${unit}`;
  }
  return String(bytes);
}
