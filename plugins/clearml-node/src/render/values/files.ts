/** Names of the values files `clearml:values:render` writes below its `targetPath`. */
export const VALUES_FILE_NAMES = {
  server: 'clearml-values.yaml',
  agent: 'clearml-agent-values.yaml',
  appGateway: 'clearml-app-gateway-values.yaml',
} as const;

/** A Helm values tree as the renderers build it. */
export type Values = Record<string, unknown>;

/** One part of a values file and the places it departs from the vendor docs. */
export interface ValuesPart {
  values: Values;
  /** One line each, without the file name; the renderer prefixes it. */
  deviations: string[];
}

function isPlainObject(value: unknown): value is Values {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `base` with `overlay` merged in: objects key by key, everything else replaced (as Helm merges values files). */
export function mergeValues(base: Values, overlay: Values): Values {
  const merged: Values = { ...base };
  for (const [key, value] of Object.entries(overlay)) {
    merged[key] =
      isPlainObject(merged[key]) && isPlainObject(value)
        ? mergeValues(merged[key] as Values, value)
        : value;
  }
  return merged;
}
