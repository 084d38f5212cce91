import { ConfigReader } from '@backstage/config';
import { resolveTenant } from '@clearml-openshift/plugin-clearml-common';
import { readArgocdSettings, argocdDestination } from '../gitops/argocdConfig';
import { readChartsSettings } from './chartsConfig';
import {
  chartCompatibility,
  kubeVersionSatisfies,
  normalizeKubernetesVersion,
} from './kubeVersion';
import { tenantCharts } from './tenantCharts';

const config = (clearml: Record<string, any>) => new ConfigReader({ clearml });

describe('clearml.charts', () => {
  it('defaults to the public clearml 7.14.4 and clearml-agent 5.3.2 with their known kubeVersion, and no enterprise chart', () => {
    const settings = readChartsSettings(config({}));
    expect(settings.sources).toEqual({
      clearml: {
        chart: 'clearml',
        repository: 'https://clearml.github.io/clearml-helm-charts',
        version: '7.14.4',
        kubeVersion: '>= 1.21.0-0 < 1.33.0-0',
      },
      'clearml-agent': {
        chart: 'clearml-agent',
        repository: 'https://clearml.github.io/clearml-helm-charts',
        version: '5.3.2',
        kubeVersion: '>= 1.21.0-0 < 1.33.0-0',
      },
    });
    expect(settings.kubeVersionOverride).toBeUndefined();
  });

  it('takes versions from config (known ranges follow the version), enterprise charts, and the override', () => {
    const settings = readChartsSettings(
      config({
        charts: {
          clearml: { version: '7.14.1' },
          'clearml-enterprise': {
            repository: 'oci://registry.example.com/clearml/',
            version: '7.12.0',
            kubeVersion: '>= 1.25.0-0',
          },
          kubeVersionOverride: 'v1.32.0',
        },
      }),
    );
    expect(settings.sources.clearml.kubeVersion).toBe('>= 1.21.0-0 < 1.32.0-0');
    expect(settings.sources['clearml-enterprise']).toEqual({
      chart: 'clearml-enterprise',
      repository: 'oci://registry.example.com/clearml',
      version: '7.12.0',
      kubeVersion: '>= 1.25.0-0',
    });
    expect(settings.kubeVersionOverride).toBe('1.32.0');
    // A version the plugins know nothing about has no range: no check is claimed.
    expect(
      readChartsSettings(config({ charts: { clearml: { version: '8.0.0' } } }))
        .sources.clearml.kubeVersion,
    ).toBeUndefined();
  });

  it('names the config key that is wrong', () => {
    expect(() =>
      readChartsSettings(
        config({ charts: { 'clearml-enterprise': { version: '7.12.0' } } }),
      ),
    ).toThrow(
      /clearml\.charts\.clearml-enterprise: both repository and version are required/,
    );
    expect(() =>
      readChartsSettings(
        config({ charts: { clearml: { kubeVersion: 'newer than 1.30' } } }),
      ),
    ).toThrow(
      /clearml\.charts\.clearml\.kubeVersion: 'newer than 1\.30' is not a semver range/,
    );
    expect(() =>
      readChartsSettings(config({ charts: { kubeVersionOverride: 'latest' } })),
    ).toThrow(/clearml\.charts\.kubeVersionOverride/);
  });

  it("compares versions as Helm does: the cluster's gitVersion, pre-releases count as their version", () => {
    expect(normalizeKubernetesVersion('v1.32.5')).toBe('1.32.5');
    expect(normalizeKubernetesVersion('v1.32.5+rhcos')).toBe('1.32.5');
    expect(normalizeKubernetesVersion('not a version')).toBeUndefined();
    const range = '>= 1.21.0-0 < 1.33.0-0';
    expect(
      ['1.21.0', '1.32.5', '1.32.5-gke.1200'].map(v =>
        kubeVersionSatisfies(range, v),
      ),
    ).toEqual([true, true, true]);
    // `< 1.33.0-0` excludes 1.33's pre-releases too.
    expect(
      ['1.20.15', '1.33.0-rc.1', '1.33.0', '1.34.1'].map(v =>
        kubeVersionSatisfies(range, v),
      ),
    ).toEqual([false, false, false, false]);
    expect(
      chartCompatibility(
        Object.values(readChartsSettings(config({})).sources),
        '1.33.1',
      ).map(c => c.accepts),
    ).toEqual([false, false]);
  });

  it('picks the charts of the releases a tenant has, and refuses private charts nobody configured (naming edition)', () => {
    const settings = readChartsSettings(config({}));
    const oss = resolveTenant({
      tenant: 'acme',
      domain: 'acme.example.com',
      agent: { enabled: true },
    });
    expect(
      tenantCharts(oss, settings).map(c => [c.role, c.source.chart]),
    ).toEqual([
      ['server', 'clearml'],
      ['agent', 'clearml-agent'],
    ]);
    const enterprise = resolveTenant({
      tenant: 'acme',
      domain: 'acme.example.com',
      edition: 'enterprise',
    });
    expect(() => tenantCharts(enterprise, settings)).toThrow(
      /^edition: chart clearml-enterprise has no repository and version configured/,
    );
  });
});

describe('clearml.gitops.argocd', () => {
  it("defaults: Applications in openshift-gitops, project default, HEAD, automated sync, Argo CD's own cluster", () => {
    const settings = readArgocdSettings(config({}));
    expect(settings).toEqual({
      render: 'applications',
      namespace: 'openshift-gitops',
      project: 'default',
      repoURL: undefined,
      targetRevision: 'HEAD',
      automatedSync: true,
      destinations: {},
    });
    expect(argocdDestination(settings, 'ocp-prod')).toEqual({
      server: 'https://kubernetes.default.svc',
    });
  });

  it('reads a destination per cluster and refuses a wrong mode or a destination with both or neither of server and name', () => {
    const settings = readArgocdSettings(
      config({
        gitops: {
          argocd: {
            render: 'plain',
            destinations: [{ cluster: 'ocp-lab', name: 'lab' }],
          },
        },
      }),
    );
    expect([settings.render, argocdDestination(settings, 'ocp-lab')]).toEqual([
      'plain',
      { name: 'lab' },
    ]);
    expect(() =>
      readArgocdSettings(config({ gitops: { argocd: { render: 'helm' } } })),
    ).toThrow(/clearml\.gitops\.argocd\.render: 'helm'/);
    expect(() =>
      readArgocdSettings(
        config({
          gitops: {
            argocd: {
              destinations: [{ cluster: 'x', name: 'a', server: 'https://b' }],
            },
          },
        }),
      ),
    ).toThrow(
      /clearml\.gitops\.argocd\.destinations\[0\]: give exactly one of server/,
    );
  });
});
