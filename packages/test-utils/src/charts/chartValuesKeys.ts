/**
 * Whether every key a rendered values file sets is a key of the chart it
 * targets: the packaged chart's own values (`helm show values`), and for the
 * clearml chart's dependencies (redis, mongodb, elasticsearch) the values of
 * the subchart versions it bundles (packages/test-utils/reference/clearml-charts/clearml/subcharts).
 * A key the chart does not read would silently do nothing.
 */
import fs from 'fs';
import yaml from 'js-yaml';
import { referencePath } from '../reference';

/**
 * Keys whose content is passed on as is (security contexts, config files, annotations, a container's resources,
 * which the charts hand to the container with toYaml): below them nothing is checked.
 */
const FREE_FORM_KEYS = new Set([
  'resources',
  'initResources',
  'podSecurityContext',
  'containerSecurityContext',
  'securityContext',
  'esConfig',
  'extraEnvs',
  'additionalConfigs',
  'annotations',
  // Label maps: the subcharts' commonLabels, Elasticsearch's labels, the agent's agentk8sglue.labels.
  'commonLabels',
  'labels',
]);

const SUBCHARTS: Record<string, string> = {
  redis: 'redis-17.8.3.values.yaml',
  mongodb: 'mongodb-13.18.5.values.yaml',
  elasticsearch: 'elasticsearch-7.17.3.values.yaml',
};

/** Every key path of a values tree, down to leaves or to a free-form key. Arrays are leaves. */
export function keyPaths(values: unknown, prefix: string[] = []): string[][] {
  if (values === null || typeof values !== 'object' || Array.isArray(values))
    return [prefix];
  const entries = Object.entries(values as Record<string, unknown>);
  if (!entries.length) return [prefix];
  return entries.flatMap(([key, child]) =>
    FREE_FORM_KEYS.has(key)
      ? [[...prefix, key]]
      : keyPaths(child, [...prefix, key]),
  );
}

/** Whether `tree` has the nested key `segments`. */
export function hasPath(tree: unknown, segments: string[]): boolean {
  let node = tree;
  for (const segment of segments) {
    if (
      node === null ||
      typeof node !== 'object' ||
      !Object.prototype.hasOwnProperty.call(node, segment)
    )
      return false;
    node = (node as Record<string, unknown>)[segment];
  }
  return true;
}

let subchartCache: Record<string, unknown> | undefined;

/** The values of the subchart versions the clearml chart bundles, by dependency name. */
export function subchartValues(): Record<string, unknown> {
  subchartCache ??= Object.fromEntries(
    Object.entries(SUBCHARTS).map(([name, file]) => [
      name,
      yaml.load(
        fs.readFileSync(
          referencePath('clearml-charts', 'clearml', 'subcharts', file),
          'utf8',
        ),
      ),
    ]),
  );
  return subchartCache;
}

/** The key paths of `rendered` that neither the chart's values nor (for dependencies) its subchart's values have. */
export function unknownKeys(
  rendered: unknown,
  chartValues: unknown,
  options: { subcharts?: boolean } = {},
): string[] {
  const subcharts = options.subcharts ? subchartValues() : {};
  return keyPaths(rendered)
    .filter(([head, ...rest]) => {
      if (hasPath(chartValues, [head, ...rest])) return false;
      return !(head in subcharts && hasPath(subcharts[head], rest));
    })
    .map(segments => segments.join('.'));
}
