import fs from 'fs';
import path from 'path';
import yaml from 'js-yaml';
import { referencePath } from '@internal/clearml-test-utils';
import {
  EDITIONS,
  resolveTenant,
  SECURITY_PROFILES,
  TenantInput,
} from '@clearml-openshift/plugin-clearml-common';
import { sccGrantsForTenant } from './grants';
import { renderTenantValues } from './renderTenantValues';

const domain = 'acme.apps.ocp.example.com';

function grants(input: Partial<TenantInput>): Array<[string, string]> {
  return sccGrantsForTenant(
    resolveTenant({ tenant: 'acme', domain, ...input }),
  ).map(g => [g.scc, g.serviceAccount]);
}

const OSS_CORE = [
  'clearml-apiserver',
  'clearml-fileserver',
  'clearml-webserver',
];
const ENTERPRISE_CORE = [
  'clearml-clearml-enterprise-apiserver',
  'clearml-clearml-enterprise-fileserver',
  'clearml-clearml-enterprise-webserver',
];
const each = (scc: string, accounts: string[]) =>
  accounts.map(a => [scc, a] as [string, string]);

describe('sccGrantsForTenant', () => {
  it('oss, anyuid: anyuid to exactly the three core accounts (root image)', () => {
    expect(grants({})).toEqual(each('anyuid', OSS_CORE));
  });

  it('oss, anyuid with the agent: its account too (task pods run root images)', () => {
    expect(grants({ agent: { enabled: true } })).toEqual([
      ...each('anyuid', OSS_CORE),
      ['anyuid', 'clearml-agent-sa'],
    ]);
    expect(
      grants({ agent: { enabled: true }, releaseName: 'acme' }).at(-1),
    ).toEqual(['anyuid', 'acme-agent-clearml-agent-sa']);
  });

  it("oss, nonroot: anyuid stays for the root image, nonroot-v2 for the dependencies' pinned UIDs", () => {
    expect(grants({ securityProfile: 'nonroot' })).toEqual([
      ...each('anyuid', OSS_CORE),
      ['nonroot-v2', 'clearml-mongodb'],
      ['nonroot-v2', 'clearml-redis'],
      ['nonroot-v2', 'clearml-elastic-master'],
    ]);
  });

  it('the release names the mongodb and redis accounts, not the core or Elasticsearch ones', () => {
    expect(grants({ securityProfile: 'nonroot', releaseName: 'acme' })).toEqual(
      [
        ...each('anyuid', OSS_CORE),
        ['nonroot-v2', 'acme-mongodb'],
        ['nonroot-v2', 'acme-redis'],
        ['nonroot-v2', 'clearml-elastic-master'],
      ],
    );
  });

  it('privileged only with the sysctl init container, to the Elasticsearch account alone', () => {
    expect(grants({ elasticsearchSysctlInit: true })).toEqual([
      ...each('anyuid', OSS_CORE),
      ['privileged', 'clearml-elastic-master'],
    ]);
    expect(
      grants({ securityProfile: 'nonroot', elasticsearchSysctlInit: true }),
    ).toEqual([
      ...each('anyuid', OSS_CORE),
      ['nonroot-v2', 'clearml-mongodb'],
      ['nonroot-v2', 'clearml-redis'],
      ['privileged', 'clearml-elastic-master'],
    ]);
  });

  it('enterprise, restricted: no grants, even with the agent and app gateway', () => {
    expect(grants({ edition: 'enterprise' })).toEqual([]);
    expect(
      grants({
        edition: 'enterprise',
        agent: { enabled: true },
        appGateway: { enabled: true },
      }),
    ).toEqual([]);
  });

  it("enterprise, nonroot: nonroot-v2 to the core accounts, and the agent's when enabled", () => {
    expect(
      grants({ edition: 'enterprise', securityProfile: 'nonroot' }),
    ).toEqual(each('nonroot-v2', ENTERPRISE_CORE));
    expect(
      grants({
        edition: 'enterprise',
        securityProfile: 'nonroot',
        agent: { enabled: true },
      }),
    ).toEqual([
      ...each('nonroot-v2', ENTERPRISE_CORE),
      ['nonroot-v2', 'clearml-agent-clearml-enterprise-agent-sa'],
    ]);
    expect(
      grants({
        edition: 'enterprise',
        securityProfile: 'nonroot',
        releaseName: 'ml',
      }),
    ).toEqual(
      each('nonroot-v2', [
        'ml-clearml-enterprise-apiserver',
        'ml-clearml-enterprise-fileserver',
        'ml-clearml-enterprise-webserver',
      ]),
    );
  });

  it('enterprise, anyuid: anyuid to the core accounts', () => {
    expect(
      grants({ edition: 'enterprise', securityProfile: 'anyuid' }),
    ).toEqual(each('anyuid', ENTERPRISE_CORE));
  });

  it('enterprise with the sysctl init container: privileged to the Elasticsearch account only', () => {
    expect(
      grants({ edition: 'enterprise', elasticsearchSysctlInit: true }),
    ).toEqual([['privileged', 'clearml-elastic-master']]);
  });

  describe('over every combination', () => {
    const sccDir = referencePath('openshift-api', 'default-sccs');
    const defaultSccs = fs
      .readdirSync(sccDir)
      .filter(f => /_scc-[^/]+\.yaml$/.test(f))
      .map(
        f =>
          (
            yaml.load(fs.readFileSync(path.join(sccDir, f), 'utf8')) as {
              metadata: { name: string };
            }
          ).metadata.name,
      );

    const combinations: Partial<TenantInput>[] = [];
    for (const edition of EDITIONS) {
      for (const securityProfile of SECURITY_PROFILES) {
        if (edition === 'oss' && securityProfile === 'restricted') continue;
        for (const elasticsearchSysctlInit of [false, true]) {
          for (const agent of [false, true]) {
            combinations.push({
              edition,
              securityProfile,
              elasticsearchSysctlInit,
              agent: { enabled: agent },
            });
          }
        }
      }
    }

    it.each(combinations.map(c => [JSON.stringify(c), c]))(
      '%s',
      (_name, input) => {
        const tenant = resolveTenant({
          tenant: 'acme',
          domain,
          ...(input as Partial<TenantInput>),
        });
        const list = sccGrantsForTenant(tenant);
        for (const grant of list) {
          expect(grant.serviceAccount).not.toBe('default');
          expect(defaultSccs).toContain(grant.scc);
          expect(grant.reason.length).toBeGreaterThan(40);
          expect(grant.reason).not.toContain('\n');
        }
        expect(list.some(g => g.scc === 'privileged')).toBe(
          tenant.elasticsearchSysctlInit,
        );
        expect(new Set(list.map(g => g.serviceAccount)).size).toBe(list.length);
        // The action's output is the same list.
        expect(renderTenantValues(tenant).sccGrants).toEqual(list);
      },
    );

    it("checks against OpenShift's default SCCs", () => {
      expect(defaultSccs).toEqual(
        expect.arrayContaining([
          'anyuid',
          'nonroot-v2',
          'privileged',
          'restricted-v2',
        ]),
      );
    });
  });
});
