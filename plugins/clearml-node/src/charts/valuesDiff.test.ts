import fs from 'fs';
import yaml from 'js-yaml';
import { referencePath } from '@internal/clearml-test-utils';
import { readChartArchive } from './chartArchive';
import {
  diffChartValues,
  isEmptyValuesDiff,
  tenantKeysLost,
} from './valuesDiff';

const packaged = (file: string) =>
  readChartArchive(
    fs.readFileSync(referencePath('clearml-charts', 'packaged', file)),
  );

describe('values-key differences between two chart versions', () => {
  it('reads Chart.yaml and values.yaml out of the packaged archives (gzip + tar)', async () => {
    const chart = await packaged('clearml-7.14.1.tgz');
    expect(chart.chart).toMatchObject({
      name: 'clearml',
      version: '7.14.1',
      kubeVersion: '>= 1.21.0-0 < 1.32.0-0',
    });
    // The chart's own values.yaml, not a subchart's: byte-identical to the unpacked copy of the same commit.
    expect(chart.values).toEqual(
      yaml.load(
        fs.readFileSync(
          referencePath('clearml-charts', 'clearml', 'values.yaml'),
          'utf8',
        ),
      ),
    );
    await expect(readChartArchive(Buffer.from('not a chart'))).rejects.toThrow(
      /not a packaged chart/,
    );
  });

  it('clearml 7.14.1 → 7.14.4 and clearml-agent 5.3.0 → 5.3.2: the same keys and defaults (upstream changed templates and Chart.yaml only)', async () => {
    for (const [from, to] of [
      ['clearml-7.14.1.tgz', 'clearml-7.14.4.tgz'],
      ['clearml-agent-5.3.0.tgz', 'clearml-agent-5.3.2.tgz'],
    ]) {
      const diff = diffChartValues(
        (await packaged(from)).values,
        (await packaged(to)).values,
      );
      expect(diff).toEqual({
        removed: [],
        added: [],
        changed: [],
        renamed: [],
      });
      expect(isEmptyValuesDiff(diff)).toBe(true);
    }
  });

  it('the clearml chart of April 2023 → 7.14.4: removed keys, added keys and changed defaults from the real files', async () => {
    const old = yaml.load(
      fs.readFileSync(
        referencePath(
          'clearml-charts',
          '_historical-enterprise-pre-2023-04',
          'clearml__values.yaml',
        ),
        'utf8',
      ),
    ) as Record<string, unknown>;
    const diff = diffChartValues(
      old,
      (await packaged('clearml-7.14.4.tgz')).values,
    );
    expect(diff.changed).toContainEqual({
      key: 'apiserver.image.tag',
      from: '1.10.0-357',
      to: '2.0.0-613',
    });
    expect(diff.removed.map(r => r.key)).toEqual(
      expect.arrayContaining([
        'apiserver.indexReplicas',
        'apiserver.indexShards',
      ]),
    );
    expect(
      diff.removed.some(r => r.key.startsWith('enterpriseFeatures.')),
    ).toBe(true);
    expect(isEmptyValuesDiff(diff)).toBe(false);
    // Every key reported exists where it is said to: removed only in the old file, added only in the new one.
    const keys = (values: unknown, prefix = ''): string[] =>
      values &&
      typeof values === 'object' &&
      !Array.isArray(values) &&
      Object.keys(values).length
        ? Object.entries(values).flatMap(([k, v]) =>
            keys(v, prefix ? `${prefix}.${k}` : k),
          )
        : [prefix];
    const newKeys = keys((await packaged('clearml-7.14.4.tgz')).values);
    for (const r of diff.removed) expect(newKeys).not.toContain(r.key);
    for (const a of diff.added) expect(keys(old)).not.toContain(a.key);
  });

  it('pairs a removed and an added key as renamed only when the leaf name and default match and the pair is unique', () => {
    const diff = diffChartValues(
      {
        agent: { queueName: 'default', debug: false },
        a: { enabled: false },
        b: { enabled: false },
        empty: {},
      },
      {
        agent: { queue: { name: 'default' }, debug: true, extra: {} },
        c: { enabled: false },
        empty: { x: 1 },
      },
    );
    expect(diff.renamed).toEqual([]);
    expect(diff.changed).toEqual([
      { key: 'agent.debug', from: false, to: true },
    ]);
    expect(diff.added.map(a => a.key)).toEqual([
      'agent.extra',
      'agent.queue.name',
      'c.enabled',
      'empty.x',
    ]);
    // Two removed `enabled: false` and one added: ambiguous, so no rename.
    expect(diff.removed.map(r => r.key)).toEqual([
      'a.enabled',
      'agent.queueName',
      'b.enabled',
    ]);

    const renamed = diffChartValues(
      { server: { image: { tag: '1.0' } }, extraEnv: [] },
      { apiserver: { image: { tag: '1.0' } }, extraEnv: [] },
    );
    expect(renamed).toEqual({
      removed: [],
      added: [],
      changed: [],
      renamed: [
        {
          key: 'server.image.tag',
          renamedTo: 'apiserver.image.tag',
          from: '1.0',
        },
      ],
    });
    expect(
      tenantKeysLost({ server: { image: { tag: '2.0' } }, other: 1 }, renamed),
    ).toEqual([
      {
        key: 'server.image.tag',
        removed: 'server.image.tag',
        renamedTo: 'apiserver.image.tag',
      },
    ]);
  });

  it("warns about the tenant's keys the new chart removed, and only those", () => {
    const diff = diffChartValues(
      { apiserver: { indexShards: 1, replicas: 1 }, podAnnotations: {} },
      { apiserver: { replicas: 1 }, podAnnotations: {} },
    );
    expect(
      tenantKeysLost(
        {
          apiserver: { indexShards: 3, replicas: 2 },
          podAnnotations: { 'a.b/c': 'x' },
        },
        diff,
      ),
    ).toEqual([
      { key: 'apiserver.indexShards', removed: 'apiserver.indexShards' },
    ]);
  });
});
