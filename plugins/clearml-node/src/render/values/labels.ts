/**
 * Labels the values add to a tenant's chart objects where the charts let
 * values add labels, so that the shared cluster view (`clear.ml/tenant`) and
 * Backstage's Kubernetes plugin (`backstage.io/kubernetes-id`) find them.
 * Checked with `helm template` of the packaged charts
 * (test/src/charts/tenantLabels.test.ts):
 *
 * - mongodb, redis (Bitnami subcharts): `commonLabels` labels every object of
 *   theirs, the pod templates included;
 * - elasticsearch (Elastic's subchart): `labels` labels its StatefulSet and pods;
 * - the agent (clearml-agent 5.3.2): `agentk8sglue.labels` labels its
 *   Deployment and pod. Its task pods are left out (their own
 *   `basePodTemplate.labels` would list every task in Backstage's Kubernetes tab).
 *
 * clearml 7.14.4 has no value that labels the apiserver, fileserver, webserver
 * or asyncdelete Deployments or pods: the view finds those by the
 * `app.kubernetes.io/name` label the chart sets, in the tenant's namespace.
 * The private enterprise charts' keys are not public: nothing is added there.
 */
import {
  Tenant,
  tenantChartLabels,
} from '@clearml-openshift/plugin-clearml-common';
import { Values } from './files';

export function serverLabelValues(tenant: Tenant): Values {
  if (tenant.edition !== 'oss') return {};
  const labels = tenantChartLabels(tenant.tenant);
  return {
    mongodb: { commonLabels: labels },
    redis: { commonLabels: labels },
    elasticsearch: { labels },
  };
}

export function agentLabelValues(tenant: Tenant): Values {
  if (tenant.edition !== 'oss') return {};
  return { agentk8sglue: { labels: tenantChartLabels(tenant.tenant) } };
}
