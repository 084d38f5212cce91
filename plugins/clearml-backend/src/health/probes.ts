/**
 * Endpoint checks through a component's public Route (docs/openshift-and-clearml.md#endpoints):
 * apiserver `/debug.ping`, fileserver `/` (200 or 405), webserver `/`. Only
 * Route hosts read from the cluster are probed, never a URL from the entity.
 */
import {
  ComponentHealth,
  HealthProblem,
  worstStatus,
} from '@clearml-openshift/plugin-clearml-common';
import { ComponentSpec, ProbeSpec } from '../target/components';

/**
 * The slice of `fetch` a probe uses; injectable so tests can reach a loopback ClearML double.
 *
 * @public
 */
export type ProbeFetch = (
  url: string,
  init: {
    method: 'GET';
    signal: AbortSignal;
    redirect: 'manual';
    headers: Record<string, string>;
  },
) => Promise<{ status: number; text(): Promise<string> }>;

export type EndpointReport = NonNullable<ComponentHealth['endpoint']>;

export function probeUrl(routeUrl: string, probe: ProbeSpec): string {
  return `${routeUrl.replace(/\/+$/, '')}${probe.path}`;
}

/** Whether an apiserver ping body is ClearML's (`{"meta":{…"result_code":200…},"data":{…}}`). */
function isClearmlPing(body: string): boolean {
  try {
    const parsed = JSON.parse(body);
    return parsed?.meta?.result_code === 200;
  } catch {
    return false;
  }
}

export async function probeEndpoint(
  fetchImpl: ProbeFetch,
  url: string,
  probe: ProbeSpec,
  timeoutMs: number,
): Promise<EndpointReport> {
  const started = Date.now();
  try {
    const response = await fetchImpl(url, {
      method: 'GET',
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'manual',
      headers: {
        accept: 'application/json, text/html;q=0.9, */*;q=0.5',
        'user-agent': 'backstage-clearml-health',
      },
    });
    const body = await response.text();
    const latencyMs = Date.now() - started;
    if (!probe.accept.includes(response.status)) {
      return {
        url,
        ok: false,
        httpStatus: response.status,
        latencyMs,
        error: `answered HTTP ${response.status}`,
      };
    }
    if (probe.clearmlPing && !isClearmlPing(body)) {
      return {
        url,
        ok: false,
        httpStatus: response.status,
        latencyMs,
        error: 'answered, but not with a ClearML ping',
      };
    }
    return { url, ok: true, httpStatus: response.status, latencyMs };
  } catch (error) {
    const e = error as Error & { cause?: { code?: string; message?: string } };
    const timedOut = e?.name === 'TimeoutError' || e?.name === 'AbortError';
    const reason = timedOut
      ? `no answer within ${timeoutMs} ms`
      : (e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(error));
    return { url, ok: false, latencyMs: Date.now() - started, error: reason };
  }
}

function endpointHint(endpoint: EndpointReport): string | undefined {
  // 503 is the router's own refusal: the Route exists but has nothing ready behind it.
  if (endpoint.httpStatus === 503) {
    return "The router has no ready endpoint for this Route: check the pods are ready and that the Route's targetPort is the container's port.";
  }
  if (endpoint.httpStatus) return undefined;
  return "Check DNS for the host, the router, and any firewall between Backstage and the cluster's apps domain.";
}

function endpointProblem(endpoint: EndpointReport): HealthProblem {
  return {
    severity: 'error',
    reason: endpoint.httpStatus ? 'EndpointError' : 'EndpointUnreachable',
    message: `${endpoint.url} ${endpoint.error}`,
    hint: endpointHint(endpoint),
  };
}

/** Probes every component that has a probe and an admitted Route with ready pods; marks failures degraded. */
export async function probeComponents(
  components: ComponentHealth[],
  specs: ComponentSpec[],
  fetchImpl: ProbeFetch,
  timeoutMs: number,
): Promise<ComponentHealth[]> {
  return Promise.all(
    components.map(async component => {
      const probe = specs.find(s => s.id === component.id)?.probe;
      if (
        !probe ||
        component.route?.admitted !== true ||
        !component.workload?.ready
      )
        return component;
      const endpoint = await probeEndpoint(
        fetchImpl,
        probeUrl(component.route.url, probe),
        probe,
        timeoutMs,
      );
      if (endpoint.ok) return { ...component, endpoint };
      return {
        ...component,
        endpoint,
        status: worstStatus([component.status, 'degraded']),
        problems: [...component.problems, endpointProblem(endpoint)],
      };
    }),
  );
}
