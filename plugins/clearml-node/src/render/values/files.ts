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
