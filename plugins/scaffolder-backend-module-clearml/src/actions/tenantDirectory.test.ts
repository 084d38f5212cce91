/**
 * The day-2 actions' foundation: a tenant's directory re-rendered from its settings record is byte for byte what the
 * "New ClearML tenant" template's render actions wrote, for the template's own inputs, under several configs.
 */
import { ConfigReader } from '@backstage/config';
import {
  parseTenantSettings,
  TenantSettings,
} from '@clearml-openshift/plugin-clearml-common';
import { renderTenantDirectory } from '@clearml-openshift/plugin-clearml-node';
import {
  KubernetesApiDouble,
  KUBERNETES_READ_ONLY_RULES,
} from '@internal/clearml-test-utils';
import { promises as fs } from 'fs';
import path from 'path';
import { createClearmlArgocdRenderAction } from './argocdRender';
import { createClearmlCatalogInfoRenderAction } from './catalogInfoRender';
import { createClearmlRoutesRenderAction } from './routesRender';
import { createClearmlValuesRenderAction } from './valuesRender';
import { temporaryWorkspace } from './__testUtils__/workspace';

const READ_TOKEN = 'sha256~read-directory-7c2d';
const ENTERPRISE_CHARTS = {
  'clearml-enterprise': {
    repository: 'oci://registry.example.com/clearml',
    version: '7.12.0',
  },
  'clearml-enterprise-agent': {
    repository: 'oci://registry.example.com/clearml',
    version: '5.2.0',
  },
  'clearml-enterprise-app-gateway': {
    repository: 'oci://registry.example.com/clearml',
    version: '7.12.0',
  },
};

function storageClass(name: string, isDefault = false) {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: {
      name,
      ...(isDefault
        ? {
            annotations: {
              'storageclass.kubernetes.io/is-default-class': 'true',
            },
          }
        : {}),
    },
    provisioner: 'ebs.csi.aws.com',
  };
}

/** The form of the "New ClearML tenant" template, as its parameters. */
interface Form {
  tenant: string;
  owner: string;
  description?: string;
  cluster: string;
  domain: string;
  storageClassName?: string;
  edition: 'oss' | 'enterprise';
  securityProfile: string;
  exposure: 'route' | 'ingress';
  ingressClassName?: string;
  tlsSecretName?: string;
  agent?: boolean;
  agentQueue?: string;
  appGateway?: boolean;
  tier: string;
  repoUrl: string;
}

const variants: Array<{
  name: string;
  kubernetesVersion: string;
  clearml: Record<string, unknown>;
  form: Form;
  /** What the template writes for it (the renderers' branches each variant takes). */
  files: string[];
}> = [
  {
    name: 'open source on Routes, no agent, small tier, every config default',
    kubernetesVersion: '1.32.5',
    clearml: {},
    form: {
      tenant: 'acme',
      owner: 'group:default/ml-team',
      cluster: 'ocp-prod',
      domain: 'clearml-acme.apps.ocp.example.com',
      edition: 'oss',
      securityProfile: 'anyuid',
      exposure: 'route',
      tier: 'small',
      repoUrl: 'github.com?owner=platform&repo=gitops',
    },
    files: [
      'applications.yaml',
      'catalog-info.yaml',
      'clearml-values.yaml',
      'credentials.yaml',
      'isolation.yaml',
      'namespace.yaml',
      'routes.yaml',
      'scc-grants.yaml',
      'tenant-settings.yaml',
    ],
  },
  {
    name: "open source with the agent on the medium tier, cert-manager certificates, an image mirror, on Kubernetes 1.33 (the charts' automatic kubeVersion)",
    kubernetesVersion: '1.33.1',
    clearml: {
      certificates: {
        mode: 'certManager',
        issuerRef: { name: 'letsencrypt-dns', kind: 'ClusterIssuer' },
      },
      images: { registry: 'mirror.example.com/clearml', pullSecret: 'mirror' },
    },
    form: {
      tenant: 'beta',
      owner: 'user:default/bob',
      description: 'Vision experiments: "yolo" # and more\nsecond line',
      cluster: 'ocp-prod',
      domain: 'clearml-beta.apps.ocp.example.com',
      storageClassName: 'fast-ssd',
      edition: 'oss',
      securityProfile: 'nonroot',
      exposure: 'route',
      agent: true,
      agentQueue: 'gpu',
      tier: 'medium',
      repoUrl: 'git.local?owner=platform&repo=gitops',
    },
    files: [
      'applications.yaml',
      'catalog-info.yaml',
      'certificates.yaml',
      'clearml-agent-values.yaml',
      'clearml-values.yaml',
      'credentials.yaml',
      'isolation.yaml',
      'namespace.yaml',
      'routes.yaml',
      'scc-grants.yaml',
      'tenant-settings.yaml',
    ],
  },
  {
    name: 'enterprise, restricted, app gateway and agent behind Ingresses, large tier, direct credentials',
    kubernetesVersion: '1.32.5',
    clearml: {
      charts: ENTERPRISE_CHARTS,
      credentials: { delivery: 'direct' },
    },
    form: {
      tenant: 'vision',
      owner: 'group:default/platform',
      cluster: 'ocp-prod',
      domain: 'clearml-vision.apps.ocp.example.com',
      edition: 'enterprise',
      securityProfile: 'restricted',
      exposure: 'ingress',
      ingressClassName: 'openshift-default',
      tlsSecretName: 'vision-tls',
      agent: true,
      appGateway: true,
      tier: 'large',
      repoUrl: 'gitlab.com?owner=platform/infra&repo=gitops',
    },
    files: [
      'applications.yaml',
      'catalog-info.yaml',
      'clearml-agent-values.yaml',
      'clearml-app-gateway-values.yaml',
      'clearml-values.yaml',
      'isolation.yaml',
      'namespace.yaml',
      'tenant-settings.yaml',
    ],
  },
];

describe('renderTenantDirectory', () => {
  const workspace = temporaryWorkspace('clearml-directory-');
  const doubles: KubernetesApiDouble[] = [];
  afterEach(async () => {
    await Promise.all(doubles.splice(0).map(d => d.close()));
  });

  async function configFor(variant: (typeof variants)[number]) {
    const double = await KubernetesApiDouble.start({
      kubernetesVersion: variant.kubernetesVersion,
      objects: [storageClass('gp3-csi', true), storageClass('fast-ssd')],
      tokens: [
        {
          name: 'reader',
          token: READ_TOKEN,
          rules: KUBERNETES_READ_ONLY_RULES,
        },
      ],
    });
    doubles.push(double);
    const clusters = [
      {
        name: 'ocp-prod',
        url: double.url,
        skipTLSVerify: true,
        serviceAccountToken: READ_TOKEN,
      },
    ];
    return new ConfigReader({
      clearml: {
        clusters,
        gitops: {
          argocd: { destinations: [{ cluster: 'ocp-prod', name: 'ocp-prod' }] },
        },
        ...variant.clearml,
      },
    });
  }

  /** The template's render steps with the inputs template.yaml gives them; every file they wrote, by name. */
  async function runTemplateSteps(config: ConfigReader, form: Form) {
    const tenantFields = {
      tenant: form.tenant,
      domain: form.domain,
      edition: form.edition,
      securityProfile: form.securityProfile,
      exposure: form.exposure,
      ingressClassName: form.ingressClassName,
      tlsSecretName: form.tlsSecretName,
      agent: { enabled: form.agent ?? false, queue: form.agentQueue },
      appGateway: { enabled: form.appGateway ?? false },
    };
    const values = await workspace.run(
      createClearmlValuesRenderAction({ config }),
      {
        ...tenantFields,
        cluster: form.cluster,
        storageClassName: form.storageClassName,
        tier: form.tier,
      },
    );
    await workspace.run(
      createClearmlRoutesRenderAction({ config }),
      tenantFields,
    );
    const argocd = await workspace.run(
      createClearmlArgocdRenderAction({ config }),
      {
        ...tenantFields,
        owner: form.owner,
        description: form.description,
        cluster: form.cluster,
        repoUrl: form.repoUrl,
        storageClassName: values.storageClassName,
        tier: form.tier,
      },
    );
    await workspace.run(createClearmlCatalogInfoRenderAction({ config }), {
      tenant: form.tenant,
      owner: form.owner,
      description: form.description,
      cluster: form.cluster,
      namespace: values.namespace,
      edition: form.edition,
      appGateway: form.appGateway ?? false,
      webUrl: values.urls.web,
      gitopsRepoUrl: form.repoUrl,
    });
    const written = new Map<string, string>();
    for (const name of await workspace.list())
      written.set(
        `tenants/${form.tenant}/${name}`,
        await fs.readFile(path.join(workspace.path, name), 'utf8'),
      );
    return { written, argocd };
  }

  it.each(variants.map(v => [v.name, v] as const))(
    '%s: gives exactly the files the template wrote, from the settings record it wrote',
    async (_name, variant) => {
      const config = await configFor(variant);
      const { written, argocd } = await runTemplateSteps(config, variant.form);
      const record = written.get(
        `tenants/${variant.form.tenant}/tenant-settings.yaml`,
      );
      const parsed = parseTenantSettings(record!);
      expect(parsed).toHaveProperty('settings');
      const { settings } = parsed as { settings: TenantSettings };

      const rendered = renderTenantDirectory(settings, {
        config,
        kubeVersionOverride: argocd.summary.kubeVersionOverride,
      });
      expect([...written.keys()].sort()).toEqual(
        variant.files.map(f => `tenants/${variant.form.tenant}/${f}`),
      );
      expect([...rendered.files.keys()].sort()).toEqual(
        [...written.keys()].sort(),
      );
      for (const [file, content] of written)
        expect([file, rendered.files.get(file)]).toEqual([file, content]);
      expect(rendered.directory).toBe(`tenants/${variant.form.tenant}`);
    },
  );

  it('records the StorageClass the values name (the cluster default when the form names none) and the chosen tier', async () => {
    const [oss, agent] = variants;
    const { written } = await runTemplateSteps(await configFor(oss), oss.form);
    const { settings } = parseTenantSettings(
      written.get('tenants/acme/tenant-settings.yaml')!,
    ) as { settings: TenantSettings };
    expect(settings).toMatchObject({
      storageClassName: 'gp3-csi',
      tier: 'small',
    });
    expect(written.get('tenants/acme/clearml-values.yaml')).toContain(
      'storageClass: gp3-csi',
    );
    const chosen = await runTemplateSteps(await configFor(agent), agent.form);
    expect(
      parseTenantSettings(
        chosen.written.get('tenants/beta/tenant-settings.yaml')!,
      ),
    ).toMatchObject({
      settings: { storageClassName: 'fast-ssd', tier: 'medium' },
    });
  });

  it("needs the chart check's kubeVersion override to give the Applications the template wrote on a newer cluster", async () => {
    const variant = variants[1];
    const config = await configFor(variant);
    const { written, argocd } = await runTemplateSteps(config, variant.form);
    expect(argocd.summary.kubeVersionOverride).toBe('1.32.0');
    const { settings } = parseTenantSettings(
      written.get('tenants/beta/tenant-settings.yaml')!,
    ) as { settings: TenantSettings };
    const withoutOverride = renderTenantDirectory(settings, { config });
    expect(
      [...written.keys()].filter(
        file => withoutOverride.files.get(file) !== written.get(file),
      ),
    ).toEqual(['tenants/beta/applications.yaml']);
  });

  it('renders with the chart versions the context names instead of clearml.charts, for an upgrade', async () => {
    const variant = variants[0];
    const config = await configFor(variant);
    const { written } = await runTemplateSteps(config, variant.form);
    const { settings } = parseTenantSettings(
      written.get('tenants/acme/tenant-settings.yaml')!,
    ) as { settings: TenantSettings };
    const upgraded = renderTenantDirectory(settings, {
      config,
      charts: {
        sources: {
          clearml: {
            chart: 'clearml',
            repository: 'https://charts.example.com/clearml',
            version: '7.15.0',
          },
        },
      },
    });
    const changed = [...written.keys()].filter(
      file => upgraded.files.get(file) !== written.get(file),
    );
    // The Application's chart version, and the values file's header that names it.
    expect(changed.sort()).toEqual([
      'tenants/acme/applications.yaml',
      'tenants/acme/clearml-values.yaml',
    ]);
    expect(upgraded.files.get('tenants/acme/applications.yaml')).toContain(
      'targetRevision: 7.15.0',
    );
    expect(upgraded.files.get('tenants/acme/clearml-values.yaml')).toContain(
      '# Chart: clearml 7.15.0 (open source,',
    );
    expect(upgraded.gitops.summary.releases).toEqual([
      expect.objectContaining({ chart: 'clearml', version: '7.15.0' }),
    ]);
  });

  it("refuses a record whose tier or namespace the platform's config does not allow, naming the field", async () => {
    const config = await configFor(variants[0]);
    const { written } = await runTemplateSteps(config, variants[0].form);
    const { settings } = parseTenantSettings(
      written.get('tenants/acme/tenant-settings.yaml')!,
    ) as { settings: TenantSettings };
    expect(() =>
      renderTenantDirectory({ ...settings, tier: 'huge' }, { config }),
    ).toThrow(/tier: must be one of 'small', 'medium', 'large'/);
    // A namespace outside the platform's tenant namespaces (clearml.tenants, default clearml-*) is refused the same way.
    expect(() =>
      renderTenantDirectory({ ...settings, namespace: 'payroll' }, { config }),
    ).toThrow(
      /^namespace: namespace 'payroll' does not match the tenant namespace pattern 'clearml-\*'/,
    );
  });
});
