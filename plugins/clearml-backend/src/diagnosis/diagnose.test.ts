import { ComponentHealth } from '@clearml-openshift/plugin-clearml-common';
import {
  ACME,
  FixtureTenant,
  apply,
  claimPending,
  containerConfigError,
  imagePullFailing,
  crashLooping,
  healthyTenantObjects,
  podsRefused,
  replicaSetSccRefusal,
  routeRefused,
  statefulSetPrivilegedInitRefusal,
  statefulSetUidRefusal,
  waitingInInit,
} from '@internal/clearml-test-utils';
import { asListed } from '../__testUtils__/asListed';
import { tenantComponents } from '../target/components';
import { HealthTarget } from '../target/healthTarget';
import { diagnoseComponents } from './diagnose';

function targetOf(t: FixtureTenant): HealthTarget {
  return {
    cluster: 'ocp-prod',
    namespace: t.namespace,
    release: t.release,
    edition: t.edition,
    ...(t.appGateway ? { appGateway: t.appGateway } : {}),
  };
}

function diagnose(t: FixtureTenant, objects = healthyTenantObjects(t)) {
  const target = targetOf(t);
  const namespaces = [
    ...new Set([t.namespace, t.appGateway?.namespace ?? t.namespace]),
  ];
  const components = diagnoseComponents(
    tenantComponents(target),
    target,
    asListed(objects, namespaces),
  );
  return {
    components,
    byId: (id: string) => components.find(c => c.id === id) as ComponentHealth,
  };
}

const WEB_RS = (name: string) =>
  healthyTenantObjects(ACME).find(
    o => o.kind === 'Pod' && o.metadata.name.startsWith(name),
  )!.metadata.ownerReferences[0].name;

describe('diagnoseComponents', () => {
  it('reports every open-source component healthy, with workloads and admitted Routes, when all is ready', () => {
    const { components, byId } = diagnose(ACME);
    expect(components.map(c => [c.id, c.status])).toEqual([
      ['apiserver', 'healthy'],
      ['fileserver', 'healthy'],
      ['webserver', 'healthy'],
      ['asyncdelete', 'healthy'],
      ['mongodb', 'healthy'],
      ['redis', 'healthy'],
      ['elasticsearch', 'healthy'],
    ]);
    expect(byId('webserver').workload).toEqual({
      kind: 'Deployment',
      name: 'clearml-webserver',
      ready: 1,
      desired: 1,
    });
    expect(byId('webserver').route).toEqual({
      name: 'clearml-webserver',
      host: 'acme-app.clearml.apps.ocp.example.com',
      url: 'https://acme-app.clearml.apps.ocp.example.com',
      admitted: true,
    });
    expect(byId('redis').workload).toEqual({
      kind: 'StatefulSet',
      name: 'clearml-redis-master',
      ready: 1,
      desired: 1,
    });
    expect(byId('elasticsearch').workload?.name).toBe('clearml-elastic-master');
    expect(components.every(c => c.problems.length === 0)).toBe(true);
  });

  it('uses the enterprise names and includes the agent and the app gateway in its own namespace', () => {
    const tenant: FixtureTenant = {
      namespace: 'clearml-beta',
      release: 'clearml',
      edition: 'enterprise',
      domain: 'beta.example.com',
      agent: true,
      appGateway: {
        namespace: 'clearml-beta-gw',
        release: 'clearml-app-gateway',
      },
    };
    const { components, byId } = diagnose(tenant);
    expect(byId('apiserver').workload?.name).toBe(
      'clearml-clearml-enterprise-apiserver',
    );
    expect(byId('agent')).toMatchObject({
      group: 'agent',
      status: 'healthy',
      workload: { name: 'clearml-agent-clearml-enterprise-agent' },
    });
    expect(byId('app-gateway')).toMatchObject({
      group: 'app-gateway',
      status: 'healthy',
      route: { host: 'wildcard.beta-appgw.example.com', admitted: true },
    });
    expect(components.every(c => c.status === 'healthy')).toBe(true);
  });

  it('leaves out an agent that is not deployed but reports a missing server Deployment as down', () => {
    const objects = healthyTenantObjects(ACME).filter(
      o => o.metadata.name !== 'clearml-fileserver' || o.kind === 'Route',
    );
    const { components, byId } = diagnose(ACME, objects);
    expect(components.find(c => c.id === 'agent')).toBeUndefined();
    expect(byId('fileserver').status).toBe('down');
    expect(byId('fileserver').problems[0]).toMatchObject({
      reason: 'WorkloadNotFound',
      message:
        'Deployment clearml-fileserver not found in namespace clearml-acme',
    });
  });

  it('turns a ReplicaSet FailedCreate SCC refusal into a grant of anyuid to the webserver account', () => {
    const rs = WEB_RS('clearml-webserver');
    const objects = apply(
      healthyTenantObjects(ACME),
      podsRefused('Deployment', 'clearml-webserver', replicaSetSccRefusal(rs)),
    );
    const web = diagnose(ACME, objects).byId('webserver');
    expect(web.status).toBe('down');
    expect(web.workload).toMatchObject({ ready: 0, desired: 1 });
    const scc = web.problems.filter(p => p.reason === 'SCCForbidden');
    expect(scc).toHaveLength(1);
    expect(scc[0].severity).toBe('error');
    expect(scc[0].message).toContain('ServiceAccount clearml-webserver');
    expect(scc[0].message).toContain(
      'restricted-v2: .containers[0].runAsUser: Invalid value: 0: must be in the ranges',
    );
    expect(scc[0].hint).toContain(
      'Grant anyuid to ServiceAccount clearml-webserver in clearml-acme',
    );
    expect(scc[0].hint).toContain(
      'oc adm policy add-scc-to-user anyuid -z clearml-webserver -n clearml-acme',
    );
    expect(scc[0].hint).toContain(
      're-run the ClearML tenant template with grants applied',
    );
  });

  it('names the privileged sysctl init container when elasticsearch is refused, and not a grant of anyuid', () => {
    const message = statefulSetPrivilegedInitRefusal('clearml-elastic-master');
    const objects = apply(
      healthyTenantObjects(ACME),
      podsRefused('StatefulSet', 'clearml-elastic-master', message),
    );
    // the chart's sysctl init container, as the template carries it
    const sts = objects.find(
      o =>
        o.kind === 'StatefulSet' &&
        o.metadata.name === 'clearml-elastic-master',
    )!;
    sts.spec.template.spec.initContainers = [
      {
        name: 'configure-sysctl',
        image: 'elasticsearch',
        securityContext: { privileged: true, runAsUser: 0 },
      },
    ];
    const { byId } = diagnose(ACME, objects);
    const es = byId('elasticsearch');
    expect(es.status).toBe('down');
    expect(es.problems).toHaveLength(1);
    expect(es.problems[0].reason).toBe('PrivilegedInitContainerRefused');
    expect(es.problems[0].message).toContain(
      'configure-sysctl asks for privileged mode',
    );
    expect(es.problems[0].hint).toContain(
      'elasticsearch.sysctlInitContainer.enabled: false',
    );
    expect(es.problems[0].hint).toContain('vm.max_map_count=262144');
    expect(es.problems[0].hint).toContain(
      'privileged to ServiceAccount clearml-elastic-master in clearml-acme',
    );
  });

  it('asks for the nonroot profile grant (nonroot-v2) when redis keeps its pinned UID 1001', () => {
    const objects = apply(
      healthyTenantObjects(ACME),
      podsRefused(
        'StatefulSet',
        'clearml-redis-master',
        statefulSetUidRefusal('clearml-redis-master'),
      ),
    );
    const redis = diagnose(ACME, objects).byId('redis');
    expect(redis.status).toBe('down');
    expect(redis.problems[0].message).toContain(
      'runAsUser: Invalid value: 1001',
    );
    expect(redis.problems[0].hint).toContain(
      'Grant nonroot-v2 to ServiceAccount clearml-redis in clearml-acme',
    );
    expect(redis.problems[0].hint).toContain(
      'security profile nonroot grants it',
    );
    expect(redis.problems[0].hint).toContain(
      'under the default profile anyuid the rendered values need no grant',
    );
  });

  it('asks an enterprise tenant for nonroot-v2 when its core image is refused', () => {
    const tenant: FixtureTenant = { ...ACME, edition: 'enterprise' };
    const name = 'clearml-clearml-enterprise-apiserver';
    const rs = healthyTenantObjects(tenant).find(
      o => o.kind === 'Pod' && o.metadata.name.startsWith(name),
    )!.metadata.ownerReferences[0].name;
    const message = replicaSetSccRefusal(rs).replace(
      'Invalid value: 0:',
      'Invalid value: 65532:',
    );
    const objects = apply(
      healthyTenantObjects(tenant),
      podsRefused('Deployment', name, message),
    );
    const hint = diagnose(tenant, objects).byId('apiserver').problems[0].hint;
    expect(hint).toContain(
      `Grant nonroot-v2 to ServiceAccount ${name} in clearml-acme`,
    );
  });

  it('does not invent a grant for an enterprise dependency no profile grants one', () => {
    const tenant: FixtureTenant = { ...ACME, edition: 'enterprise' };
    const objects = apply(
      healthyTenantObjects(tenant),
      podsRefused(
        'StatefulSet',
        'clearml-redis-master',
        statefulSetUidRefusal('clearml-redis-master'),
      ),
    );
    const hint = diagnose(tenant, objects).byId('redis').problems[0].hint;
    expect(hint).toContain(
      'No security profile of this product grants an SCC to ServiceAccount clearml-redis',
    );
    expect(hint).not.toContain('Grant ');
  });

  it('reports a crash-looping apiserver admitted with a random UID as down, with the grant that fixes it', () => {
    const objects = apply(
      healthyTenantObjects(ACME),
      crashLooping(
        'clearml-apiserver',
        '/opt/clearml/wrapper.sh: line 3: /opt/clearml/apiserver/server.py: Permission denied',
      ),
    );
    const api = diagnose(ACME, objects).byId('apiserver');
    expect(api.status).toBe('down');
    expect(api.problems[0]).toMatchObject({
      severity: 'error',
      reason: 'CrashLoopBackOff',
    });
    expect(api.problems[0].message).toContain('7 restarts');
    expect(api.problems[0].message).toContain('Permission denied');
    expect(api.problems[0].hint).toContain('admitted by restricted-v2');
    expect(api.problems[0].hint).toContain(
      'Grant anyuid to ServiceAccount clearml-apiserver in clearml-acme',
    );
  });

  it('points a crash-looping elasticsearch at vm.max_map_count', () => {
    const objects = apply(
      healthyTenantObjects(ACME),
      crashLooping(
        'clearml-elastic-master',
        'ERROR: [1] bootstrap checks failed\n[1]: max virtual memory areas vm.max_map_count [65530] is too low, increase to at least [262144]',
        'anyuid',
      ),
    );
    const es = diagnose(ACME, objects).byId('elasticsearch');
    expect(es.status).toBe('down');
    expect(es.problems[0].hint).toContain('vm.max_map_count >= 262144');
  });

  it('explains the kubelet refusing a root image under runAsNonRoot', () => {
    const objects = apply(
      healthyTenantObjects(ACME),
      containerConfigError(
        'clearml-fileserver',
        'container has runAsNonRoot and image will run as root (pod: "clearml-fileserver-x", container: clearml-fileserver)',
      ),
    );
    const files = diagnose(ACME, objects).byId('fileserver');
    expect(files.status).toBe('down');
    expect(files.problems[0].reason).toBe('CreateContainerConfigError');
    expect(files.problems[0].hint).toContain('image runs as root');
    expect(files.problems[0].hint).toContain(
      'Grant anyuid to ServiceAccount clearml-fileserver in clearml-acme',
    );
  });

  it('shows a webserver in Init waiting on a down apiserver as progressing, and names the blocker', () => {
    const rs = WEB_RS('clearml-apiserver');
    const objects = apply(
      healthyTenantObjects(ACME),
      podsRefused('Deployment', 'clearml-apiserver', replicaSetSccRefusal(rs)),
      waitingInInit('clearml-webserver'),
    );
    const { byId } = diagnose(ACME, objects);
    const web = byId('webserver');
    expect(web.status).toBe('progressing');
    expect(web.problems[0]).toMatchObject({
      severity: 'warning',
      reason: 'WaitingForDependency',
    });
    expect(web.problems[0].message).toMatch(
      /is in Init:0\/1, waiting on apiserver$/,
    );
    expect(web.problems[0].hint).toBe(
      'Fix apiserver (down) first: webserver starts once it answers.',
    );
  });

  it('reports an app gateway Route refused for wildcard policy with the IngressController setting', () => {
    const tenant: FixtureTenant = {
      ...ACME,
      edition: 'enterprise',
      appGateway: { namespace: 'clearml-acme', release: 'clearml-app-gateway' },
    };
    const objects = apply(
      healthyTenantObjects(tenant),
      routeRefused(
        'clearml-app-gateway',
        'RouteNotAdmitted',
        'wildcard routes are not allowed',
      ),
    );
    const gw = diagnose(tenant, objects).byId('app-gateway');
    expect(gw.status).toBe('degraded');
    expect(gw.route).toMatchObject({
      admitted: false,
      reason: 'RouteNotAdmitted',
      message: 'wildcard routes are not allowed',
    });
    expect(gw.problems[0].hint).toContain(
      'routeAdmission.wildcardPolicy: WildcardsAllowed',
    );
  });

  it('says another Route claims the host when the router reports HostAlreadyClaimed', () => {
    const objects = apply(
      healthyTenantObjects(ACME),
      routeRefused(
        'clearml-apiserver',
        'HostAlreadyClaimed',
        'route clearml-apiserver already exposes acme-api.clearml.apps.ocp.example.com and is older',
      ),
    );
    const api = diagnose(ACME, objects).byId('apiserver');
    expect(api.status).toBe('degraded');
    expect(api.problems[0].reason).toBe('HostAlreadyClaimed');
    expect(api.problems[0].hint).toContain(
      'already claims acme-api.clearml.apps.ocp.example.com',
    );
  });

  describe("the tenant's credentials and certificates", () => {
    const AGENT_TENANT: FixtureTenant = { ...ACME, agent: true };
    const withRouter =
      (domain: string, extra?: (route: any) => void) => (objects: any[]) => {
        for (const route of objects.filter(o => o.kind === 'Route')) {
          for (const ingress of route.status?.ingress ?? [])
            ingress.routerCanonicalHostname = `router-default.${domain}`;
          extra?.(route);
        }
        return objects;
      };

    it("names a Route whose host the router's default certificate does not cover, from the router's canonical hostname", () => {
      const objects = apply(
        healthyTenantObjects(ACME),
        withRouter('apps.ocp.example.com'),
      );
      const api = diagnose(ACME, objects).byId('apiserver');
      expect(api.problems).toEqual([
        expect.objectContaining({
          severity: 'warning',
          reason: 'CertificateDoesNotCoverHost',
          message: expect.stringContaining(
            "serves acme-api.clearml.apps.ocp.example.com with router default's default certificate, which covers *.apps.ocp.example.com only",
          ),
          hint: expect.stringContaining(
            'clearml-<tenant>-app.apps.ocp.example.com',
          ),
        }),
      ]);
    });

    it('says nothing for hosts one label under the apps domain, or a Route with a certificate of its own', () => {
      const oneLabel: FixtureTenant = {
        ...ACME,
        domain: 'clearml-acme.apps.ocp.example.com',
      };
      expect(
        diagnose(
          oneLabel,
          apply(
            healthyTenantObjects(oneLabel),
            withRouter('apps.ocp.example.com'),
          ),
        ).components.flatMap(c => c.problems),
      ).toEqual([]);
      const ownCertificate = apply(
        healthyTenantObjects(ACME),
        withRouter('apps.ocp.example.com', route => {
          route.spec.tls.externalCertificate = { name: 'acme-tls' };
        }),
      );
      expect(
        diagnose(ACME, ownCertificate).components.flatMap(c => c.problems),
      ).toEqual([]);
    });

    it('tells a pod waiting for the missing credentials Secret how that Secret is made', () => {
      const objects = apply(
        healthyTenantObjects(ACME),
        containerConfigError(
          'clearml-apiserver',
          'secret "clearml-credentials" not found',
        ),
      );
      const api = diagnose(ACME, objects).byId('apiserver');
      expect(api.status).toBe('down');
      expect(api.problems[0].hint).toContain(
        'oc describe externalsecret clearml-credentials -n clearml-acme',
      );
      expect(api.problems[0].hint).toContain('clearml:credentials:create');
    });

    it("names the agent's refused credential (401) and the apiserver restart that loads a new one", () => {
      const tenant = AGENT_TENANT;
      const deployment = healthyTenantObjects(tenant).find(
        o =>
          o.kind === 'Deployment' &&
          o.spec.template.spec.containers[0].name === 'k8s-glue',
      )!.metadata.name;
      const seen = diagnose(
        tenant,
        apply(
          healthyTenantObjects(tenant),
          crashLooping(
            deployment,
            'clearml_agent.backend_api.session.session.LoginError: Failed getting token (error 401 from http://clearml-apiserver.clearml-acme.svc:8008): Unauthorized (invalid credentials) (failed to locate provided credentials)',
            'restricted-v2',
          ),
        ),
      ).byId('agent');
      expect(seen.problems[0].reason).toBe('CrashLoopBackOff');
      expect(seen.problems[0].hint).toContain(
        "The server refuses the agent's credential (401)",
      );
      expect(seen.problems[0].hint).toContain(
        'oc rollout restart deployment/clearml-apiserver -n clearml-acme',
      );
      // Without the log text (the usual case: the read credential cannot read logs), the likely cause and the command to check it.
      const unseen = diagnose(
        tenant,
        apply(
          healthyTenantObjects(tenant),
          crashLooping(deployment, '', 'restricted-v2'),
        ),
      ).byId('agent');
      expect(unseen.problems[0].hint).toContain(
        'the usual cause is the server refusing its credential',
      );
      expect(unseen.problems[0].hint).toMatch(
        /oc logs -n clearml-acme \S+ -c k8s-glue --previous/,
      );
    });
  });

  it('flags an open-source webserver Route aimed at the Service port 8080 instead of the container port 80', () => {
    const objects = healthyTenantObjects(ACME);
    objects.find(
      o => o.kind === 'Route' && o.metadata.name === 'clearml-webserver',
    )!.spec.port.targetPort = 8080;
    const web = diagnose(ACME, objects).byId('webserver');
    expect(web.status).toBe('degraded');
    expect(web.problems[0]).toMatchObject({
      reason: 'RouteTargetPortMismatch',
    });
    expect(web.problems[0].hint).toContain('spec.port.targetPort: 80 ');
  });

  it('forgets an old refusal once the workload is ready again', () => {
    const rs = WEB_RS('clearml-webserver');
    const refused = apply(
      healthyTenantObjects(ACME),
      podsRefused('Deployment', 'clearml-webserver', replicaSetSccRefusal(rs)),
    );
    const recovered = [
      ...healthyTenantObjects(ACME),
      ...refused.filter(o => o.kind === 'Event'),
    ];
    expect(diagnose(ACME, recovered).byId('webserver')).toMatchObject({
      status: 'healthy',
      problems: [],
    });
  });

  describe('images that cannot be pulled', () => {
    const MONGO = 'docker.io/bitnami/mongodb:6.0.10-debian-11-r8';
    it('names a chart pin that is gone (manifest unknown) and the re-render that replaces it', () => {
      const { byId } = diagnose(
        ACME,
        apply(
          healthyTenantObjects(ACME),
          imagePullFailing(
            'clearml-mongodb',
            MONGO,
            `initializing source docker://${MONGO}: reading manifest 6.0.10-debian-11-r8 in docker.io/bitnami/mongodb: manifest unknown`,
          ),
        ),
      );
      const [problem] = byId('mongodb').problems;
      expect(byId('mongodb').status).toBe('down');
      expect(problem).toMatchObject({
        severity: 'error',
        reason: 'ImagePullBackOff',
        message: expect.stringContaining(
          `cannot pull image ${MONGO} (the image or tag does not exist): Failed to pull image`,
        ),
      });
      expect(problem.hint).toMatch(
        /is a chart pin that no longer exists \(https:\/\/github\.com\/bitnami\/containers\/issues\/83267\)\. Re-render .* docker\.io\/bitnamilegacy\/mongodb:6\.0\.10-debian-11-r8 instead/,
      );
    });

    it('tells a missing image from a rate limit and from a missing pull secret', () => {
      const cases: Array<[string, RegExp]> = [
        [
          // containerd's wording of a tag that does not exist
          'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/allegroai/clearml:9.9.9": failed to resolve reference "docker.io/allegroai/clearml:9.9.9": docker.io/allegroai/clearml:9.9.9: not found',
          /^The registry has no such image or tag\. If the cluster pulls through a mirror/,
        ],
        [
          'initializing source docker://allegroai/clearml:9.9.9: reading manifest 9.9.9 in docker.io/allegroai/clearml: toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit',
          /^Docker Hub limits anonymous pulls .*clearml\.images\.registry.*clearml\.images\.pullSecret/,
        ],
        [
          'initializing source docker://mirror.example.com/clearml/allegroai/clearml:9.9.9: reading manifest 9.9.9 in mirror.example.com/clearml/allegroai/clearml: unauthorized: authentication required',
          /^The registry refused the credentials, or no pull secret was sent\. Create the pull secret in clearml-acme \(oc create secret docker-registry/,
        ],
      ];
      for (const [runtimeError, hint] of cases) {
        for (const reason of ['ImagePullBackOff', 'ErrImagePull'] as const) {
          const { byId } = diagnose(
            ACME,
            apply(
              healthyTenantObjects(ACME),
              imagePullFailing(
                'clearml-apiserver',
                'docker.io/allegroai/clearml:9.9.9',
                runtimeError,
                reason,
              ),
            ),
          );
          const problem = byId('apiserver').problems[0];
          expect([problem.reason, problem.hint]).toEqual([
            reason,
            expect.stringMatching(hint),
          ]);
        }
      }
    });
  });

  describe('claims that do not bind', () => {
    it('a claim with no StorageClass on a cluster without a default: the class to choose or to mark default', () => {
      const { byId } = diagnose(
        ACME,
        apply(
          healthyTenantObjects(ACME),
          claimPending('clearml-redis-master', 'redis-data'),
        ),
      );
      const redis = byId('redis');
      expect(redis.status).toBe('down');
      expect(redis.problems.map(p => p.reason)).toEqual([
        'ClaimPending',
        'Unschedulable',
      ]);
      expect(redis.problems[0]).toMatchObject({
        severity: 'error',
        message:
          'PersistentVolumeClaim redis-data-clearml-redis-master-0 is Pending: no persistent volumes available for this claim and no storage class is set',
        hint: expect.stringMatching(
          /names no StorageClass and the cluster has no default one\. Re-render the tenant with a StorageClass .*storageclass\.kubernetes\.io\/is-default-class.*oc delete pvc redis-data-clearml-redis-master-0 -n clearml-acme/,
        ),
      });
      expect(redis.problems[1].hint).toMatch(
        /^Its claims \(redis-data-clearml-redis-master-0\) are not bound/,
      );
    });

    it('a claim naming a StorageClass the cluster lacks', () => {
      const { byId } = diagnose(
        ACME,
        apply(
          healthyTenantObjects(ACME),
          claimPending('clearml-redis-master', 'redis-data', 'gp3'),
        ),
      );
      expect(byId('redis').problems[0]).toMatchObject({
        reason: 'ClaimPending',
        message:
          'PersistentVolumeClaim redis-data-clearml-redis-master-0 is Pending: storageclass.storage.k8s.io "gp3" not found',
        hint: expect.stringMatching(
          /^StorageClass gp3 does not exist on this cluster \(oc get storageclass\)/,
        ),
      });
    });
  });
});
