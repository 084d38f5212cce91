/**
 * The Kubernetes objects a health check reads: one list per kind per
 * namespace. Routes are OpenShift's `route.openshift.io/v1`, which the
 * generated client does not type.
 */
import type {
  CoreV1Event,
  V1Deployment,
  V1Pod,
  V1StatefulSet,
} from '@kubernetes/client-node';

export interface RouteIngressCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export interface OpenShiftRoute {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec: {
    host?: string;
    path?: string;
    to: { kind?: string; name: string; weight?: number };
    port?: { targetPort: number | string };
    tls?: {
      termination?: string;
      insecureEdgeTerminationPolicy?: string;
      /** PEM of the Route's own certificate, when it carries one. */
      certificate?: string;
      /** A Secret holding the Route's certificate (OpenShift 4.16+). */
      externalCertificate?: { name: string };
    };
    wildcardPolicy?: 'None' | 'Subdomain';
  };
  status?: {
    ingress?: Array<{
      host?: string;
      routerName?: string;
      /** `router-default.<apps domain>` for the default IngressController: the domain its default certificate covers. */
      routerCanonicalHostname?: string;
      wildcardPolicy?: string;
      conditions?: RouteIngressCondition[];
    }>;
  };
}

/** Everything one namespace holds that the diagnosis looks at. */
export interface NamespaceObjects {
  namespace: string;
  deployments: V1Deployment[];
  statefulSets: V1StatefulSet[];
  pods: V1Pod[];
  /** Warning events only. */
  events: CoreV1Event[];
  routes: OpenShiftRoute[];
  /** Set when Routes could not be listed (not OpenShift, or the token may not read them). */
  routesError?: string;
}
