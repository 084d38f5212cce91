import {
  resolveTenant,
  serverNames,
  TenantInput,
} from '@clearml-openshift/plugin-clearml-common';
import { parseYamlStream } from '../yaml';
import { renderTenantValues } from './renderTenantValues';

type Tree = Record<string, any>;
const domain = 'acme.apps.ocp.example.com';
// One label under apps.ocp.example.com each (clearml-common hosts.ts).
const hosts = {
  api: 'acme-api.apps.ocp.example.com',
  files: 'acme-files.apps.ocp.example.com',
  web: 'acme-app.apps.ocp.example.com',
};

function render(input: Partial<TenantInput> = {}) {
  return renderTenantValues(
    resolveTenant({ tenant: 'acme', domain, edition: 'enterprise', ...input }),
  );
}

function file(
  input: Partial<TenantInput>,
  name: string,
): { text: string; values: Tree } {
  const found = render(input).files.find(f => f.path === name);
  if (!found) throw new Error(`${name} was not rendered`);
  return {
    text: found.content,
    values: parseYamlStream(found.content)[0] as Tree,
  };
}

/** The start script exactly as ClearML's OpenShift guide prints it. */
const GUIDE_SCRIPT = String.raw`export HOME=/tmp
declare LOCAL_PYTHON
[ ! -z $LOCAL_PYTHON ] || for i in {{20..5}}; do (which python3.$i 2> /dev/null || command -v python3.$i) && python3.$i -m pip --version && export LOCAL_PYTHON=$(which python3.$i 2> /dev/null || command -v python3.$i) && break ; done
[ ! -z $LOCAL_PYTHON ] || export LOCAL_PYTHON=python3
{extra_bash_init_cmd}
[ ! -z $CLEARML_AGENT_NO_UPDATE ] || $LOCAL_PYTHON -m pip install clearml-agent{agent_install_args}
{extra_docker_bash_script}
$LOCAL_PYTHON -m clearml_agent execute {default_execution_agent_args} --id {task_id}
`;

const RESTRICTED = {
  runAsNonRoot: true,
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

describe('enterprise server values', () => {
  it("follows ClearML's OpenShift guide: ingresses off, displayed URLs from the tenant, applications under restricted-v2", () => {
    const { values } = file({}, 'clearml-values.yaml');
    // resources, initContainers (and the fileserver's storage): the size tier's, as for the open-source chart.
    const sized = {
      resources: expect.any(Object),
      initContainers: { resources: expect.any(Object) },
    };
    expect(values.apiserver).toEqual({ ingress: { enabled: false }, ...sized });
    expect(values.fileserver).toEqual({
      ingress: { enabled: false },
      ...sized,
      storage: { data: { size: '20Gi' } },
    });
    expect(values.webserver).toEqual({
      ingress: { enabled: false },
      ...sized,
      displayedServerURLs: {
        apiserver: `https://${hosts.api}`,
        fileserver: `https://${hosts.files}`,
      },
    });
    expect(values.clearmlApplications).toMatchObject({
      enabled: true,
      maxPods: 20,
      containerSecurityContext: RESTRICTED,
      extraEnvs: [
        {
          name: 'CLEARML_K8S_GLUE_START_AGENT_SCRIPT_PATH',
          value: '/tmp/__start_agent__.sh',
        },
        { name: 'HOME', value: '/tmp' },
      ],
    });
    expect(values.elasticsearch.sysctlInitContainer).toEqual({
      enabled: false,
    });
    expect(values.mongodb.containerSecurityContext).toEqual({
      enabled: true,
      runAsUser: null,
      ...RESTRICTED,
    });
    // Keys the open-source chart has but the guide does not set.
    expect(values.clearml).toBeUndefined();
    expect(values.apiserver.service).toBeUndefined();
  });

  it.each(['clearml', 'ml'])(
    'points the applications at the Services the chart creates (release %s)',
    release => {
      const { values } = file(
        { releaseName: release, namespace: 'team-ml' },
        'clearml-values.yaml',
      );
      const names = serverNames('enterprise', release);
      for (const component of [
        'apiserver',
        'fileserver',
        'webserver',
      ] as const) {
        const key = {
          apiserver: 'apiServer',
          fileserver: 'fileServer',
          webserver: 'webServer',
        }[component];
        const url = new URL(
          values.clearmlApplications[`${key}UrlReferenceOverride`],
        );
        expect(url.protocol).toBe('http:');
        expect(url.hostname).toBe(`${names.services[component]}.team-ml.svc`);
        expect(Number(url.port)).toBe(names.servicePorts[component]);
      }
      // The guide's value names a Service no release of the chart creates.
      expect(values.clearmlApplications.webServerUrlReferenceOverride).not.toBe(
        'http://clearml-enterprise-webserver:8080',
      );
      expect(render({ releaseName: release }).deviations.join('\n')).toContain(
        'http://clearml-enterprise-webserver:8080',
      );
    },
  );

  it('keeps {{20..5}} and the {placeholders} byte for byte in both scripts', () => {
    const server = file({ agent: { enabled: true } }, 'clearml-values.yaml');
    const agent = file(
      { agent: { enabled: true } },
      'clearml-agent-values.yaml',
    );
    expect(server.values.clearmlApplications.containerCustomBashScript).toBe(
      GUIDE_SCRIPT,
    );
    expect(agent.values.agentk8sglue.containerCustomBashScript).toBe(
      GUIDE_SCRIPT,
    );
    for (const { text } of [server, agent]) {
      // A literal block: each script line appears in the file itself, unescaped.
      expect(text).toContain('containerCustomBashScript: |\n');
      expect(text).toContain('for i in {{20..5}}; do (which python3.$i');
      expect(text).toContain('clearml-agent{agent_install_args}\n');
      expect(text).toContain('--id {task_id}\n');
    }
  });

  it('renders the chart Ingresses in ingress mode', () => {
    const { values } = file(
      { exposure: 'ingress', tlsSecretName: 'acme-tls' },
      'clearml-values.yaml',
    );
    expect(values.apiserver.ingress).toEqual({
      enabled: true,
      hostName: hosts.api,
      tlsSecretName: 'acme-tls',
      annotations: { 'route.openshift.io/termination': 'edge' },
    });
    expect(values.webserver.ingress.hostName).toBe(hosts.web);
  });

  it('says which chart it targets and why it departs from the guide', () => {
    const { text } = file({}, 'clearml-values.yaml');
    expect(text).toContain(
      "# Chart: clearml-enterprise (private chart), per ClearML's OpenShift guide",
    );
    expect(text).toContain('# SCC grants: none (security profile restricted)');
    expect(text).toContain('node.store.allow_mmap: false added');
  });
});

describe('enterprise agent values', () => {
  it("is the guide's agentk8sglue block with the tenant's server URLs and queue", () => {
    const { values, text } = file(
      { agent: { enabled: true, queue: 'gpu' } },
      'clearml-agent-values.yaml',
    );
    const names = serverNames('enterprise', 'clearml');
    expect(values.agentk8sglue).toEqual({
      apiServerUrlReference: `http://${names.services.apiserver}.clearml-acme.svc:8008`,
      fileServerUrlReference: `http://${names.services.fileserver}.clearml-acme.svc:8081`,
      webServerUrlReference: `http://${names.services.webserver}.clearml-acme.svc:8080`,
      queue: 'gpu',
      createQueueIfNotExists: true,
      containerSecurityContext: RESTRICTED,
      containerCustomBashScript: GUIDE_SCRIPT,
      extraEnvs: [
        {
          name: 'CLEARML_K8S_GLUE_START_AGENT_SCRIPT_PATH',
          value: '/tmp/__start_agent__.sh',
        },
      ],
      basePodTemplate: {
        env: [{ name: 'HOME', value: '/tmp' }],
        containerSecurityContext: RESTRICTED,
        resources: {
          requests: { cpu: '1', memory: '2Gi' },
          limits: { cpu: '2', memory: '4Gi' },
        },
      },
      resources: expect.any(Object),
      initContainers: { resources: expect.any(Object) },
    });
    expect(text).toContain(
      "# Chart: clearml-enterprise-agent (private chart), per ClearML's OpenShift guide",
    );
  });
});

describe('enterprise app gateway values', () => {
  it('is rendered only when enabled', () => {
    expect(render().files.map(f => f.path)).toEqual(['clearml-values.yaml']);
    expect(
      render({
        appGateway: { enabled: true },
        agent: { enabled: true },
      }).files.map(f => f.path),
    ).toEqual([
      'clearml-values.yaml',
      'clearml-agent-values.yaml',
      'clearml-app-gateway-values.yaml',
    ]);
  });

  it('pins the Service name and turns the Ingress off in route mode', () => {
    expect(
      file({ appGateway: { enabled: true } }, 'clearml-app-gateway-values.yaml')
        .values,
    ).toEqual({
      fullnameOverride: 'clearml-app-gateway',
      ingress: { enabled: false },
      // The size tier's (small, the default).
      resources: {
        requests: { cpu: '100m', memory: '256Mi' },
        limits: { cpu: '500m', memory: '512Mi' },
      },
    });
    expect(
      file(
        { appGateway: { enabled: true }, releaseName: 'ml' },
        'clearml-app-gateway-values.yaml',
      ).values.fullnameOverride,
    ).toBe('ml-app-gateway');
  });

  it('serves appgw.<domain> through the chart Ingress in ingress mode', () => {
    const { values, text } = file(
      {
        appGateway: { enabled: true },
        exposure: 'ingress',
        ingressClassName: 'openshift-default',
        tlsSecretName: 'appgw-tls',
      },
      'clearml-app-gateway-values.yaml',
    );
    expect(values.ingress).toEqual({
      enabled: true,
      className: 'openshift-default',
      hostname: 'acme-appgw.apps.ocp.example.com',
      tlsSecretName: 'appgw-tls',
    });
    expect(text).toContain(
      "# Chart: clearml-enterprise-app-gateway (private chart), per ClearML's OpenShift guide",
    );
    expect(text).toContain('# Serves *.acme-appgw.apps.ocp.example.com.');
  });
});
