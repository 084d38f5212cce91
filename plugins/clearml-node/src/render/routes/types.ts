/**
 * The part of OpenShift's `route.openshift.io/v1` Route that the renderer writes.
 *
 * @public
 */
export interface OpenShiftRoute {
  apiVersion: 'route.openshift.io/v1';
  kind: 'Route';
  metadata: {
    name: string;
    namespace: string;
    labels: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec: {
    host: string;
    path: string;
    to: { kind: 'Service'; name: string; weight: number };
    port: { targetPort: number | string };
    tls: {
      termination: 'edge';
      insecureEdgeTerminationPolicy: 'Redirect';
      externalCertificate?: { name: string };
    };
    wildcardPolicy: 'None' | 'Subdomain';
  };
}
