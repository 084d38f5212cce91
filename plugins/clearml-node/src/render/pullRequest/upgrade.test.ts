import MarkdownIt from 'markdown-it';
import { diffChartValues } from '../../charts/valuesDiff';
import {
  renderUpgradeDescription,
  UpgradeDescriptionInput,
  upgradePullRequestTitle,
} from './upgrade';

function tables(markdown: string): string[][][] {
  const html = new MarkdownIt({ html: true }).render(markdown);
  return [...html.matchAll(/<table>([\s\S]*?)<\/table>/g)].map(([, t]) =>
    [...t.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map(([, row]) =>
      [...row.matchAll(/<t[hd]>([\s\S]*?)<\/t[hd]>/g)].map(([, cell]) =>
        cell.replace(/<[^>]+>/g, '').trim(),
      ),
    ),
  );
}

const base: UpgradeDescriptionInput = {
  tenant: 'acme',
  entityRef: 'resource:default/acme',
  cluster: 'ocp-prod',
  kubernetesVersion: '1.31.4',
  targetPath: 'tenants/acme',
  releases: [],
  files: {
    changed: ['tenants/acme/applications.yaml'],
    added: [],
    removed: [],
  },
  deviations: [],
};

describe('the upgrade pull request', () => {
  it('names each release moving from one chart version to another, in the title and a table', () => {
    const releases = [
      {
        application: 'clearml-acme-server',
        chart: 'clearml',
        from: '7.14.1',
        to: '7.14.4',
      },
      {
        application: 'clearml-acme-agent',
        chart: 'clearml-agent',
        from: '5.3.0',
        to: '5.3.2',
      },
    ];
    expect(upgradePullRequestTitle('acme', 'ocp-prod', releases)).toBe(
      'Upgrade ClearML tenant acme on ocp-prod: clearml 7.14.1 → 7.14.4, clearml-agent 5.3.0 → 5.3.2',
    );
    const body = renderUpgradeDescription({
      ...base,
      releases: releases.map(r => ({
        ...r,
        kubeVersion: '>= 1.21.0-0 < 1.33.0-0',
        values: { diff: diffChartValues({ a: 1 }, { a: 1 }) },
        lost: [],
      })),
    });
    expect(tables(body)[0]).toEqual([
      ['Application', 'chart', 'from', 'to', 'kubeVersion'],
      [
        'clearml-acme-server',
        'clearml',
        '7.14.1',
        '7.14.4',
        '&gt;= 1.21.0-0 &lt; 1.33.0-0',
      ],
      [
        'clearml-acme-agent',
        'clearml-agent',
        '5.3.0',
        '5.3.2',
        '&gt;= 1.21.0-0 &lt; 1.33.0-0',
      ],
    ]);
    expect(body).toContain(
      "No values key differs: the two versions' `values.yaml` have the same keys and defaults",
    );
    expect(body).not.toContain('⚠️');
  });

  it('lists removed, renamed, added and changed keys, and warns about the keys the tenant sets that the new chart ignores', () => {
    const diff = diffChartValues(
      { server: { tag: '1.0' }, shards: 1, replicas: 1, old: { x: true } },
      { apiserver: { tag: '1.0' }, replicas: 2, fresh: 'yes' },
    );
    const body = renderUpgradeDescription({
      ...base,
      releases: [
        {
          application: 'clearml-acme-server',
          chart: 'clearml',
          from: '1.0.0',
          to: '2.0.0',
          values: { diff },
          lost: [
            {
              key: 'server.tag',
              removed: 'server.tag',
              renamedTo: 'apiserver.tag',
            },
            { key: 'shards', removed: 'shards' },
          ],
        },
      ],
    });
    const [, removed, renamed, added, changed, lost] = tables(body);
    expect(removed).toEqual([
      ['key', 'old default'],
      ['old.x', 'true'],
      ['shards', '1'],
    ]);
    expect(renamed).toEqual([
      ['old key', 'new key', 'default'],
      ['server.tag', 'apiserver.tag', '&quot;1.0&quot;'],
    ]);
    expect(added).toEqual([
      ['key', 'default'],
      ['fresh', '&quot;yes&quot;'],
    ]);
    expect(changed).toEqual([
      ['key', 'old default', 'new default'],
      ['replicas', '1', '2'],
    ]);
    expect(body).toContain(
      '### ⚠️ Keys this tenant sets that the new charts ignore',
    );
    expect(lost.slice(1)).toEqual([
      [
        'clearml-acme-server',
        'server.tag',
        'renamed to apiserver.tag: move the setting there',
      ],
      ['clearml-acme-server', 'shards', 'shards removed'],
    ]);
  });

  it("escapes what a chart repository or the tenant's values say, and says when the differences are unavailable", () => {
    const body = renderUpgradeDescription({
      ...base,
      releases: [
        {
          application: 'clearml-acme-server',
          chart: 'clearml',
          from: '7.14.1',
          to: '7.14.4',
          values: {
            diff: diffChartValues(
              { '`x`|<img src=x>': 1 },
              { '# heading\n[link](https://evil)': '<script>' },
            ),
          },
          lost: [],
        },
        {
          application: 'clearml-acme-agent',
          chart: 'clearml-agent',
          from: '5.3.0',
          to: '5.3.2',
          values: { unavailable: 'GET https://x/index.yaml answered 503 <b>' },
          lost: [],
        },
      ],
    });
    const html = new MarkdownIt({ html: true }).render(body);
    expect(html).not.toMatch(/<img|<script|<a |<h1/);
    expect(body).toContain(
      'The differences could not be read: GET https://x/index.yaml answered 503 &lt;b&gt;',
    );
  });
});
