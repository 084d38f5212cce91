/**
 * Reads OpenShift's SCC admission refusal
 * (docs/openshift-and-clearml.md#how-scc-trouble-shows-itself): `pods "x" is forbidden: unable to validate against any security
 * context constraint: [provider "anyuid": Forbidden: not usable by user or
 * serviceaccount, provider restricted-v2: …runAsUser: Invalid value: 1001: …]`.
 */

export const SCC_REFUSAL_MARKER =
  'unable to validate against any security context constraint';

export interface SccProviderVerdict {
  /** The SCC's name. */
  scc: string;
  /** `true` when the account may not use this SCC at all. */
  notUsable: boolean;
  /** The field errors this SCC found in the pod (when it was usable). */
  violations: string[];
}

export interface SccRefusal {
  /** The pod the refusal names, e.g. `clearml-elastic-master-0` or `clearml-webserver-7d9f8-` (generateName). */
  podName?: string;
  providers: SccProviderVerdict[];
  /** Containers that ask for `privileged: true` (the elasticsearch sysctl init container). */
  privilegedContainers: string[];
  /** UIDs the pod pins that the usable SCCs refuse; 0 means the image must run as root. */
  refusedUids: number[];
}

const PROVIDER = /provider "?([a-z0-9][a-z0-9.-]*)"?: /g;
/** Field errors start with a field path: `spec.containers[0].securityContext.runAsUser: Invalid value: …`, or `.containers[0].runAsUser: …` on newer clusters. */
const VIOLATION_START =
  /,? (?=\.?[A-Za-z][\w.[\]]*: (?:Invalid value|Forbidden|Required value|Unsupported value))/;

function violationsIn(text: string): string[] {
  return text
    .split(VIOLATION_START)
    .map(v => v.replace(/^[\s,]+|[\s,]+$/g, ''))
    .filter(Boolean);
}

/**
 * Splits the bracketed list into one verdict per SCC. Older clusters list the
 * default SCC's field errors before any `provider` (reported as `restricted`).
 */
function parseProviders(list: string): SccProviderVerdict[] {
  const starts = [...list.matchAll(PROVIDER)];
  const verdicts: SccProviderVerdict[] = [];
  const leading = violationsIn(list.slice(0, starts[0]?.index ?? list.length));
  if (leading.length)
    verdicts.push({ scc: 'restricted', notUsable: false, violations: leading });
  starts.forEach((match, i) => {
    const from = match.index! + match[0].length;
    const to = i + 1 < starts.length ? starts[i + 1].index! : list.length;
    const text = list.slice(from, to).replace(/[\s,]+$/, '');
    const notUsable = /^Forbidden: not usable by user or serviceaccount/.test(
      text,
    );
    verdicts.push({
      scc: match[1],
      notUsable,
      violations: notUsable ? [] : violationsIn(text),
    });
  });
  return verdicts;
}

/** The container a `(spec.)(init)containers[i]` path names. */
function containerRef(
  path: string,
): { init: boolean; index: number } | undefined {
  const match = /(initContainers|containers)\[(\d+)\]/.exec(path);
  return match
    ? { init: match[1] === 'initContainers', index: Number(match[2]) }
    : undefined;
}

export interface PodTemplateContainers {
  containers?: Array<{ name: string }>;
  initContainers?: Array<{ name: string }>;
}

export function parseSccRefusal(
  message: string,
  template?: PodTemplateContainers,
): SccRefusal | undefined {
  const at = message.indexOf(SCC_REFUSAL_MARKER);
  if (at < 0) return undefined;
  const podName = /pods? "([^"]+)" is forbidden/.exec(message)?.[1];
  // The verdicts come as `: [a, b, …]`: drop the brackets once, so a trailing `ranges: [x, y]` keeps its own.
  const list = message
    .slice(at + SCC_REFUSAL_MARKER.length)
    .replace(/^\s*:?\s*\[/, '')
    .replace(/\]\s*$/, '');
  const providers = parseProviders(list);
  const privilegedContainers = new Set<string>();
  const refusedUids = new Set<number>();
  for (const violation of providers.flatMap(p => p.violations)) {
    if (/privileged: Invalid value: true/.test(violation)) {
      const ref = containerRef(violation);
      const containers = ref?.init
        ? template?.initContainers
        : template?.containers;
      const name = ref ? containers?.[ref.index]?.name : undefined;
      privilegedContainers.add(
        name ??
          (ref
            ? `${ref.init ? 'initContainers' : 'containers'}[${ref.index}]`
            : 'a container'),
      );
    }
    const uid = /runAsUser: Invalid value: (\d+)/.exec(violation);
    if (uid) refusedUids.add(Number(uid[1]));
  }
  return {
    ...(podName ? { podName } : {}),
    providers,
    privilegedContainers: [...privilegedContainers],
    refusedUids: [...refusedUids],
  };
}

/** A one-line account of why the SCCs the account may use refused the pod, for the problem's message. */
export function summariseRefusal(refusal: SccRefusal): string {
  const usable = refusal.providers.filter(p => !p.notUsable);
  if (!usable.length) return 'no SCC the ServiceAccount may use admits the pod';
  return usable.map(p => `${p.scc}: ${p.violations.join('; ')}`).join(' | ');
}
