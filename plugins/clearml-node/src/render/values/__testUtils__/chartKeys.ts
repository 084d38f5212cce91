/**
 * Checks rendered values against the charts' own key lists in
 * `test/reference/clearml-charts` (see its PROVENANCE.md).
 */
import fs from 'fs';
import path from 'path';
import yaml from 'js-yaml';
import { referencePath } from '@internal/clearml-test';

export const CHARTS_DIR = referencePath('clearml-charts');

/**
 * Keys whose content is free-form (passed to Kubernetes or a config file as is):
 * the key itself must exist in the chart, what is below it is not checked.
 */
export const FREE_FORM_KEYS = new Set([
  'podSecurityContext',
  'containerSecurityContext',
  'securityContext',
  'esConfig',
  'extraEnvs',
  'additionalConfigs',
  'annotations',
]);

function readKeys(file: string): Set<string> {
  return new Set(
    fs
      .readFileSync(path.join(CHARTS_DIR, file), 'utf8')
      .split('\n')
      .map(l => l.trim())
      .filter(Boolean),
  );
}

function hasPath(tree: unknown, segments: string[]): boolean {
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

const SUBCHART_FILES: Record<string, string> = {
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

export interface ChartKeyChecker {
  /** The rendered key paths the chart does not know, as dotted strings. */
  unknownServerKeys(values: unknown): string[];
  unknownAgentKeys(values: unknown): string[];
}

export function loadChartKeys(): ChartKeyChecker {
  const serverKeys = readKeys('clearml/values.keys.txt');
  const agentKeys = readKeys('clearml-agent/values.keys.txt');
  const subcharts = Object.fromEntries(
    Object.entries(SUBCHART_FILES).map(([name, file]) => [
      name,
      yaml.load(
        fs.readFileSync(
          path.join(CHARTS_DIR, 'clearml/subcharts', file),
          'utf8',
        ),
      ),
    ]),
  );
  return {
    unknownServerKeys: values =>
      keyPaths(values)
        .filter(segments => {
          const [head, ...rest] = segments;
          // A dependency's keys are read by its subchart: check them against that chart's own values.
          if (head in subcharts) return !hasPath(subcharts[head], rest);
          return !serverKeys.has(segments.join('.'));
        })
        .map(s => s.join('.')),
    unknownAgentKeys: values =>
      keyPaths(values)
        .filter(segments => !agentKeys.has(segments.join('.')))
        .map(s => s.join('.')),
  };
}
