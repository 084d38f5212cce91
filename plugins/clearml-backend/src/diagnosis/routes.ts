/**
 * A component's public Route and whether a router admitted it
 * (`status.ingress[].conditions[type=Admitted]`, docs/openshift-and-clearml.md#route-admission-status).
 */
import {
  certificateCovers,
  ComponentHealth,
  HealthProblem,
  HealthStatus,
  worstStatus,
} from '@clearml-openshift/plugin-clearml-common';
import { NamespaceObjects, OpenShiftRoute } from '../kubernetes/objects';
import { ComponentSpec } from '../target/components';
import { routeRefusalHint } from './hints';

export type RouteReport = NonNullable<ComponentHealth['route']>;

/** The Route that sends traffic to a Service (chart Ingresses become such Routes too). */
export function routeForService(
  routes: OpenShiftRoute[],
  service: string,
): OpenShiftRoute | undefined {
  const candidates = routes.filter(
    r =>
      r.spec?.to?.name === service &&
      (r.spec.to.kind ?? 'Service') === 'Service',
  );
  return candidates.find(r => r.spec.host) ?? candidates[0];
}

export function routeUrl(route: OpenShiftRoute): string {
  const scheme = route.spec.tls ? 'https' : 'http';
  const path =
    route.spec.path && route.spec.path !== '/' ? route.spec.path : '';
  return `${scheme}://${route.spec.host ?? ''}${path}`;
}

export function describeRoute(route: OpenShiftRoute): {
  report: RouteReport;
  problems: HealthProblem[];
} {
  const host = route.spec.host ?? '';
  const conditions = (route.status?.ingress ?? []).map(i => ({
    router: i.routerName,
    admitted: i.conditions?.find(c => c.type === 'Admitted'),
  }));
  const accepted = conditions.find(c => c.admitted?.status === 'True');
  const refused = conditions.find(c => c.admitted?.status === 'False');
  const base = { name: route.metadata.name, host, url: routeUrl(route) };
  if (accepted)
    return {
      report: { ...base, admitted: true },
      problems: uncoveredHostProblems(route),
    };
  if (refused) {
    const { reason, message } = refused.admitted!;
    const hint = routeRefusalHint(reason, host, message);
    return {
      report: {
        ...base,
        admitted: false,
        ...(reason ? { reason } : {}),
        ...(message ? { message } : {}),
      },
      problems: [
        {
          severity: 'error',
          reason: reason ?? 'RouteNotAdmitted',
          message:
            `Route ${route.metadata.name} (${host}) was not admitted by router ${refused.router ?? ''}: ${message ?? reason ?? ''}`
              .replace(/ +:/, ':')
              .trim(),
          ...(hint ? { hint } : {}),
        },
      ],
    };
  }
  return {
    report: { ...base, admitted: null },
    problems: [
      {
        severity: 'warning',
        reason: 'RoutePending',
        message: `Route ${route.metadata.name} (${host}) has not been taken by any router yet`,
        hint: 'Check that an IngressController selects this Route (route labels, namespace selectors) and is running.',
      },
    ],
  };
}

/**
 * A TLS Route without a certificate of its own is served with its router's
 * default certificate, which for an IngressController covers
 * `*.<its domain>`; the router says that domain in
 * `status.ingress[].routerCanonicalHostname` (`router-default.<domain>`). A
 * host more than one label under it is not covered (a wildcard matches one
 * label), and every client that verifies TLS refuses it. Nothing is said when
 * the router does not report its canonical hostname.
 */
export function uncoveredHostProblems(route: OpenShiftRoute): HealthProblem[] {
  const tls = route.spec.tls;
  const host = route.spec.host;
  if (!tls || !host || tls.certificate || tls.externalCertificate) return [];
  return (route.status?.ingress ?? []).flatMap(ingress => {
    const canonical = ingress.routerCanonicalHostname;
    const admitted = ingress.conditions?.find(c => c.type === 'Admitted');
    if (!canonical || admitted?.status !== 'True') return [];
    const domain = canonical.slice(canonical.indexOf('.') + 1);
    if (certificateCovers(`*.${domain}`, host)) return [];
    return [
      {
        severity: 'warning' as const,
        reason: 'CertificateDoesNotCoverHost',
        message:
          `Route ${route.metadata.name} serves ${host} with router ${ingress.routerName ?? ''}'s default certificate, ` +
          `which covers *.${domain} only: browsers, the SDK and the agent's task pods refuse the connection`,
        hint:
          `Use hosts one label under ${domain} (the template's default domain clearml-<tenant>.${domain} gives ` +
          `clearml-<tenant>-app.${domain}, …), or give the Route a certificate for ${host} ` +
          '(spec.tls.certificate, or spec.tls.externalCertificate naming a Secret).',
      },
    ];
  });
}

/**
 * The component's public Route (to `service`): its report, its problems, and the component's status with them
 * (not admitted or a wrong targetPort degrade it, admission pending keeps it progressing, none is degraded).
 */
export function componentRoute(
  spec: ComponentSpec,
  service: string,
  objects: NamespaceObjects,
  statusBefore: HealthStatus,
): { report?: RouteReport; problems: HealthProblem[]; status: HealthStatus } {
  let status = statusBefore;
  let report: RouteReport | undefined;
  const problems: HealthProblem[] = [];
  const route = objects.routesError
    ? undefined
    : routeForService(objects.routes, service);
  if (route) {
    const described = describeRoute(route);
    report = described.report;
    problems.push(...described.problems);
    if (described.report.admitted === false)
      status = worstStatus([status, 'degraded']);
    const targetPort = route.spec.port?.targetPort;
    if (
      spec.targetPort &&
      typeof targetPort === 'number' &&
      targetPort !== spec.targetPort
    ) {
      problems.push({
        severity: 'error',
        reason: 'RouteTargetPortMismatch',
        message: `Route ${route.metadata.name} sends traffic to port ${targetPort}, but ${spec.id} listens on ${spec.targetPort}`,
        hint: `Set spec.port.targetPort: ${spec.targetPort} (a Route's targetPort names the pod's port, not the Service's; a wrong one gives 503).`,
      });
      status = worstStatus([status, 'degraded']);
    }
    if (described.report.admitted === null)
      status = worstStatus([status, 'progressing']);
  } else if (objects.routesError) {
    problems.push({
      severity: 'warning',
      reason: 'RoutesUnreadable',
      message: objects.routesError,
    });
  } else {
    problems.push({
      severity: 'error',
      reason: 'RouteNotFound',
      message: `no Route in ${spec.namespace} sends traffic to Service ${service}`,
      hint: "Apply the tenant's routes.yaml (from its GitOps pull request), or the chart's Ingresses in ingress mode.",
    });
    status = worstStatus([status, 'degraded']);
  }
  return { ...(report ? { report } : {}), problems, status };
}
