/**
 * The template agrees with the tenant model: what the form accepts is what
 * the actions accept (the rules live in clearml-common), and the edition
 * branches offer only the profiles and components that edition can run.
 */
import {
  EDITIONS,
  EXPOSURES,
  isTenantName,
  SECURITY_PROFILES,
  TENANT_NAME_MAX_LENGTH,
} from '@clearml-openshift/plugin-clearml-common';
import { formProperty, readTenantTemplate, TemplateStep } from './templateFile';

const template = readTenantTemplate();

function editionBranch(edition: string): any {
  const page = template.spec.parameters.find((p: any) => p.properties?.edition);
  return page.dependencies.edition.oneOf.find((b: any) =>
    b.properties.edition.enum.includes(edition),
  );
}

describe('templates/clearml-tenant/template.yaml', () => {
  it('is a v1beta3 template called "New ClearML tenant"', () => {
    expect(template.apiVersion).toBe('scaffolder.backstage.io/v1beta3');
    expect(template.kind).toBe('Template');
    expect(template.metadata.title).toBe('New ClearML tenant');
  });

  it('accepts exactly the tenant names the tenant model accepts', () => {
    const [field] = formProperty(template, 'tenant');
    expect(field.maxLength).toBe(TENANT_NAME_MAX_LENGTH);
    const pattern = new RegExp(field.pattern);
    const form = (name: string) =>
      pattern.test(name) && name.length <= field.maxLength;
    const samples = [
      'acme',
      'a',
      'a1',
      'team-42',
      'x'.repeat(40),
      'x'.repeat(41),
      '1acme',
      '-acme',
      'acme-',
      'Acme',
      'ac_me',
      'ac.me',
      '',
      'a--b',
      'a-1',
      'é',
      'acme ',
      `a${'-'.repeat(38)}b`,
    ];
    for (const name of samples)
      expect([name, form(name)]).toEqual([name, isTenantName(name)]);
  });

  it('offers the editions and exposures of the model, and per edition only what it can run', () => {
    expect(formProperty(template, 'edition')[0].enum).toEqual([...EDITIONS]);
    expect(formProperty(template, 'exposure')[0].enum).toEqual([...EXPOSURES]);

    const oss = editionBranch('oss');
    const enterprise = editionBranch('enterprise');
    // The open-source image runs as root: restricted is refused by resolveTenant, so the form does not offer it.
    expect([...oss.properties.securityProfile.enum].sort()).toEqual(
      SECURITY_PROFILES.filter(p => p !== 'restricted').sort(),
    );
    expect(oss.properties.securityProfile.default).toBe('anyuid');
    expect(oss.properties.securityProfile['ui:help']).toMatch(
      /restricted.*not offered.*runs as root/s,
    );
    expect(oss.properties.appGateway).toBeUndefined();
    expect([...enterprise.properties.securityProfile.enum].sort()).toEqual(
      [...SECURITY_PROFILES].sort(),
    );
    expect(enterprise.properties.securityProfile.default).toBe('restricted');
    expect(enterprise.properties.appGateway.type).toBe('boolean');
  });

  it('asks for the cluster and domain through the ClearML field extensions, and the repository with RepoUrlPicker', () => {
    expect(formProperty(template, 'cluster')[0]['ui:field']).toBe(
      'ClearmlClusterPicker',
    );
    expect(formProperty(template, 'domain')[0]['ui:field']).toBe(
      'ClearmlTenantDomain',
    );
    expect(formProperty(template, 'storageClassName')[0]['ui:field']).toBe(
      'ClearmlStorageClass',
    );
    expect(formProperty(template, 'owner')[0]['ui:field']).toBe('OwnerPicker');
    const repo = formProperty(template, 'repoUrl')[0];
    expect(repo['ui:field']).toBe('RepoUrlPicker');
    expect(repo['ui:options'].allowedHosts).toEqual([
      'github.com',
      'gitlab.com',
      'git.local',
    ]);
    const grants = formProperty(template, 'applyGrants')[0];
    expect(grants.default).toBe(false);
    expect(grants['ui:help']).toMatch(/cluster admin/);
    // No cluster list in the template: the picker reads the configured clusters from the backend.
    expect(JSON.stringify(template.spec.parameters)).not.toMatch(
      /ocp-|6443|apps\.[a-z]/,
    );
  });

  it('runs render values, render routes, the Argo CD files, the catalog file, the pull request, the credentials Secret (direct delivery), the grants (when asked), then registers', () => {
    const steps: TemplateStep[] = template.spec.steps;
    expect(steps.map(s => [s.id, s.action])).toEqual([
      ['values', 'clearml:values:render'],
      ['routes', 'clearml:routes:render'],
      ['argocd', 'clearml:argocd:render'],
      ['catalog', 'clearml:catalog-info:render'],
      ['pr', 'clearml:gitops:pull-request'],
      ['credentials', 'clearml:credentials:create'],
      ['grants', 'clearml:scc:grant'],
      ['register', 'catalog:register'],
    ]);
    const byId = Object.fromEntries(steps.map(s => [s.id, s]));
    expect(byId.grants.if).toBe('${{ parameters.applyGrants }}');
    expect(byId.grants.input!.grants).toBe(
      '${{ steps.values.output.sccGrants }}',
    );
    expect(byId.pr.input!.summary).toMatchObject({
      hosts: '${{ steps.routes.output.hosts }}',
      sccGrants: '${{ steps.values.output.sccGrants }}',
      deviations: '${{ steps.values.output.deviations }}',
      gitops: '${{ steps.argocd.output.summary }}',
    });
    // The charts are checked against the cluster's Kubernetes version in the first step, before anything is written.
    expect(byId.values.input!.cluster).toBe('${{ parameters.cluster }}');
    expect(byId.argocd.input).toMatchObject({
      cluster: '${{ parameters.cluster }}',
      repoUrl: '${{ parameters.repoUrl }}',
    });
    expect(byId.register.input).toEqual({
      catalogInfoUrl: '${{ steps.pr.output.catalogInfoUrl }}',
    });
    expect(template.spec.output.links.map((l: any) => l.title)).toEqual([
      'Pull request',
      'Tenant in the catalog',
      'ClearML web UI',
    ]);
  });
});
