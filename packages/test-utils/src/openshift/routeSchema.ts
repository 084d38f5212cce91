/**
 * Checks a Route the way an OpenShift cluster would before admitting it:
 *
 * 1. the openAPIV3Schema of `routes.route.openshift.io` (JSON schema, via ajv), after the API server's own
 *    preparation: null fields dropped, defaults applied, unknown fields refused (kubectl's strict validation);
 * 2. the CRD's CEL rules (`x-kubernetes-validations`), each bound by its exact rule text, so a schema update
 *    with a rule this file does not know fails loudly instead of being skipped;
 * 3. the API server's Go validation (openshift/library-go `pkg/route/validation`) that the schema cannot
 *    express: host a DNS-1123 subdomain (lower case, at most 253) with every label a DNS-1123 label (so no `*`),
 *    `wildcardPolicy: Subdomain` only with a host, object metadata (name, namespace, label syntax), weights,
 *    TLS termination combinations.
 *
 * Not covered (they need a live cluster): router admission (`routeAdmission.wildcardPolicy`, host already
 * claimed by another namespace), `externalCertificate` RBAC and Secret checks, and update-only rules
 * (`wildcardPolicy` and `host` are immutable in practice). The DNS rules are spelled here on purpose, apart
 * from clearml-common, so that this oracle does not share code with what it checks.
 */
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'fs';
import { referencePath } from '../reference';

export const ROUTE_SCHEMA_FILE = referencePath(
  'openshift-api',
  'route.openshift.io_v1_Route.schema.json',
);

export interface RouteProblem {
  /** Field path as the API server prints it, e.g. `spec.to.weight`, `spec.httpHeaders.actions.request[0].name`. */
  path: string;
  message: string;
  /** Which layer refused it: the JSON schema, a CEL rule of the CRD, or the API server's Go validation. */
  source: 'schema' | 'cel' | 'apiserver';
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };
type Schema = { [key: string]: any };

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// ---- 1. the JSON schema ---------------------------------------------------------------------------------

/** The extracted schema carries a few artefacts (`anyOf: null`) and is open to unknown fields; fix both. */
function prepareSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(prepareSchema);
  if (!isObject(node)) return node;
  const out: Schema = {};
  for (const [key, value] of Object.entries(node)) {
    if (value === null) continue;
    if (key === 'properties' && isObject(value)) {
      out.properties = Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, prepareSchema(v)]),
      );
    } else {
      out[key] = prepareSchema(value);
    }
  }
  if (
    out.type === 'object' &&
    out.properties &&
    out.additionalProperties === undefined &&
    !out['x-kubernetes-preserve-unknown-fields']
  ) {
    out.additionalProperties = false;
  }
  return out;
}

function loadSchema(): Schema {
  return JSON.parse(readFileSync(ROUTE_SCHEMA_FILE, 'utf8'));
}

let compiled: { validate: ValidateFunction; schema: Schema } | undefined;

function compiledSchema() {
  if (compiled) return compiled;
  const schema = loadSchema();
  const ajv = new Ajv({
    allErrors: true,
    useDefaults: true,
    strictTypes: false,
    strictTuples: false,
  });
  addFormats(ajv);
  ajv.addFormat('int32', {
    type: 'number',
    validate: n => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31,
  });
  ajv.addKeyword({
    keyword: 'x-kubernetes-int-or-string',
    schemaType: 'boolean',
    validate: (enabled: boolean, data: unknown) =>
      !enabled || Number.isInteger(data) || typeof data === 'string',
    errors: false,
  });
  for (const keyword of [
    'x-kubernetes-validations',
    'x-kubernetes-list-type',
    'x-kubernetes-list-map-keys',
    'x-kubernetes-map-type',
    'x-kubernetes-preserve-unknown-fields',
    'x-kubernetes-embedded-resource',
  ]) {
    ajv.addKeyword({ keyword });
  }
  compiled = { validate: ajv.compile(prepareSchema(schema) as Schema), schema };
  return compiled;
}

/** JSON pointer → the API server's field path (`/spec/a/0/b` → `spec.a[0].b`). */
function fieldPath(pointer: string, child?: string): string {
  const parts = pointer
    .split('/')
    .slice(1)
    .map(p => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (child !== undefined) parts.push(child);
  return parts.reduce(appendFieldPathPart, '');
}

/** `spec.a` + `0` → `spec.a[0]`; `spec` + `a` → `spec.a`; `` + `spec` → `spec`. */
function appendFieldPathPart(path: string, part: string): string {
  if (/^\d+$/.test(part)) return `${path}[${part}]`;
  return path ? `${path}.${part}` : part;
}

function schemaProblem(error: ErrorObject): RouteProblem {
  switch (error.keyword) {
    case 'required':
      return {
        path: fieldPath(error.instancePath, error.params.missingProperty),
        message: 'Required value',
        source: 'schema',
      };
    case 'additionalProperties':
      return {
        path: fieldPath(error.instancePath, error.params.additionalProperty),
        message: 'unknown field',
        source: 'schema',
      };
    case 'enum':
      return {
        path: fieldPath(error.instancePath),
        message: `Unsupported value: supported values: ${error.params.allowedValues.map((v: unknown) => JSON.stringify(v)).join(', ')}`,
        source: 'schema',
      };
    default:
      return {
        path: fieldPath(error.instancePath),
        message: `${error.message} (${error.schemaPath})`,
        source: 'schema',
      };
  }
}

/** The API server drops null fields (none of the Route's are nullable) before validating. */
function dropNulls(value: unknown): Json {
  if (Array.isArray(value)) return value.map(dropNulls);
  if (!isObject(value)) return value as Json;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== null && v !== undefined)
      .map(([k, v]) => [k, dropNulls(v)]),
  );
}

/**
 * The Route as the API server would store it: nulls dropped and the schema's defaults applied
 * (`to.weight: 100`, `to.kind: Service`, `wildcardPolicy: None`). The input is not changed.
 */
export function applyRouteDefaults(route: unknown): JsonObject {
  const copy = dropNulls(route);
  // ajv fills defaults while it validates, and may evaluate `allOf` before `properties`: one pass only
  // defaults, so the next sees what the API server validates (defaulting happens before validation there).
  compiledSchema().validate(copy);
  return copy as JsonObject;
}

// ---- 2. the CRD's CEL rules -----------------------------------------------------------------------------

type CelPredicate = (self: Json) => boolean;

const has = (obj: Json | undefined, key: string): boolean =>
  isObject(obj) && obj[key] !== undefined;
const get = (obj: Json | undefined, key: string): Json | undefined =>
  isObject(obj) ? obj[key] : undefined;

/** CEL `matches()` uses RE2, whose POSIX class `[:cntrl:]` JavaScript spells as a range. */
function celRegex(source: string): RegExp {
  return new RegExp(
    source.replace(/\\\\/g, '\\').replace(/\[:cntrl:\]/g, '\\x00-\\x1f\\x7f'),
  );
}

/** Binds a rule's text to its meaning. Unknown text returns undefined, and loading fails. */
function celPredicate(rule: string): CelPredicate | undefined {
  const text = rule.replace(/\s+/g, ' ').trim();
  const known: Record<string, CelPredicate> = {
    "!has(self.tls) || self.tls.termination != 'passthrough' || !has(self.httpHeaders)":
      self =>
        !has(self, 'tls') ||
        get(get(self, 'tls'), 'termination') !== 'passthrough' ||
        !has(self, 'httpHeaders'),
    "has(self.termination) && has(self.insecureEdgeTerminationPolicy) ? !((self.termination=='passthrough') && (self.insecureEdgeTerminationPolicy=='Allow')) : true":
      self =>
        !(
          get(self, 'termination') === 'passthrough' &&
          get(self, 'insecureEdgeTerminationPolicy') === 'Allow'
        ),
    '!(has(self.certificate) && has(self.externalCertificate))': self =>
      !(has(self, 'certificate') && has(self, 'externalCertificate')),
    "has(self.type) && self.type == 'Set' ? has(self.set) : !has(self.set)":
      self =>
        get(self, 'type') === 'Set' ? has(self, 'set') : !has(self, 'set'),
  };
  if (known[text]) return known[text];

  const reserved = /^self\.lowerAscii\(\) != '([^']+)'$/.exec(text);
  if (reserved)
    return self =>
      typeof self !== 'string' || self.toLowerCase() !== reserved[1];

  const headerValues =
    /^self\.all\(key, key\.action\.type == "Delete" \|\| \(has\(key\.action\.set\) && key\.action\.set\.value\.matches\('(.+)'\)\)\)$/.exec(
      text,
    );
  if (headerValues) {
    const pattern = celRegex(headerValues[1]);
    return self =>
      !Array.isArray(self) ||
      self.every(item => {
        const action = get(item, 'action');
        if (get(action, 'type') === 'Delete') return true;
        const value = get(get(action, 'set'), 'value');
        return typeof value === 'string' && pattern.test(value);
      });
  }
  return undefined;
}

interface BoundRule {
  message: string;
  holds: CelPredicate;
}

const boundRules = new WeakMap<Schema, BoundRule[]>();

function rulesOf(schema: Schema): BoundRule[] {
  let rules = boundRules.get(schema);
  if (!rules) {
    rules = (
      (schema['x-kubernetes-validations'] ?? []) as Array<{
        rule: string;
        message?: string;
      }>
    ).map(v => {
      const holds = celPredicate(v.rule);
      if (!holds)
        throw new Error(
          `routeSchema: CEL rule not implemented, update the helper: ${v.rule}`,
        );
      return { message: v.message ?? `failed rule: ${v.rule}`, holds };
    });
    boundRules.set(schema, rules);
  }
  return rules;
}

function celProblems(
  schema: Schema,
  value: Json | undefined,
  path: string,
  out: RouteProblem[],
): void {
  if (value === undefined || typeof schema !== 'object' || schema === null)
    return;
  for (const rule of rulesOf(schema)) {
    if (!rule.holds(value))
      out.push({
        path: path || '<root>',
        message: rule.message,
        source: 'cel',
      });
  }
  if (schema.properties && isObject(value)) {
    for (const [key, child] of Object.entries(
      schema.properties as Record<string, Schema>,
    )) {
      celProblems(child, value[key], path ? `${path}.${key}` : key, out);
    }
  }
  if (schema.items && Array.isArray(value)) {
    value.forEach((item, i) =>
      celProblems(schema.items, item, `${path}[${i}]`, out),
    );
  }
}

/** Every CEL rule of the CRD, bound (throws if one is not implemented). Exported for the helper's own test. */
export function routeCelRuleCount(): number {
  let count = 0;
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (isObject(node)) {
      if (node['x-kubernetes-validations'])
        count += rulesOf(node as Schema).length;
      Object.entries(node).forEach(
        ([k, v]) => k !== 'x-kubernetes-validations' && walk(v),
      );
    }
  };
  walk(compiledSchema().schema);
  return count;
}

// ---- 3. the API server's Go validation --------------------------------------------------------------------

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function labelProblems(label: string): string[] {
  const problems: string[] = [];
  if (label.length > 63) problems.push('must be no more than 63 characters');
  if (!DNS1123_LABEL.test(label)) {
    problems.push(
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
    );
  }
  return problems;
}

function isDns1123Subdomain(value: string): boolean {
  return (
    value.length > 0 &&
    value.length <= 253 &&
    value.split('.').every(l => DNS1123_LABEL.test(l))
  );
}

function qualifiedNameProblems(key: string): string[] {
  const parts = key.split('/');
  const [prefix, name] = parts.length === 2 ? parts : [undefined, parts[0]];
  const problems: string[] = [];
  if (parts.length > 2)
    problems.push('a qualified name must have at most one "/"');
  if (prefix !== undefined && !isDns1123Subdomain(prefix))
    problems.push('prefix part must be a DNS-1123 subdomain');
  if (!name || name.length > 63 || !QUALIFIED_NAME.test(name)) {
    problems.push(
      "name part must be at most 63 alphanumeric characters, '-', '_' or '.', starting and ending alphanumeric",
    );
  }
  return problems;
}

function metadataProblems(
  metadata: Json | undefined,
  out: RouteProblem[],
): void {
  const problem = (path: string, message: string) =>
    out.push({ path: `metadata.${path}`, message, source: 'apiserver' });
  const name = get(metadata, 'name');
  if (typeof name !== 'string' || !name) {
    if (!has(metadata, 'generateName'))
      problem('name', 'Required value: name or generateName is required');
  } else if (!isDns1123Subdomain(name)) {
    problem(
      'name',
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.'",
    );
  }
  const namespace = get(metadata, 'namespace');
  if (typeof namespace !== 'string' || !namespace)
    problem('namespace', 'Required value');
  else
    for (const message of labelProblems(namespace))
      problem('namespace', message);

  const labels = get(metadata, 'labels');
  if (isObject(labels)) {
    for (const [key, value] of Object.entries(labels)) {
      for (const message of qualifiedNameProblems(key))
        problem(`labels`, `${JSON.stringify(key)}: ${message}`);
      if (
        typeof value !== 'string' ||
        value.length > 63 ||
        !LABEL_VALUE.test(value)
      ) {
        problem(
          `labels`,
          `${JSON.stringify(value)}: a valid label value must be at most 63 alphanumeric characters, '-', '_' or '.', starting and ending alphanumeric`,
        );
      }
    }
  }
  const annotations = get(metadata, 'annotations');
  if (isObject(annotations)) {
    let size = 0;
    for (const [key, value] of Object.entries(annotations)) {
      for (const message of qualifiedNameProblems(key))
        problem('annotations', `${JSON.stringify(key)}: ${message}`);
      size += key.length + (typeof value === 'string' ? value.length : 0);
    }
    if (size > 256 * 1024)
      problem('annotations', 'Too long: must have at most 262144 bytes');
  }
}

function backendProblems(
  backend: Json | undefined,
  path: string,
  out: RouteProblem[],
): void {
  if (!get(backend, 'name'))
    out.push({
      path: `${path}.name`,
      message: 'Required value',
      source: 'apiserver',
    });
  if (get(backend, 'kind') !== 'Service')
    out.push({
      path: `${path}.kind`,
      message: 'must reference a Service',
      source: 'apiserver',
    });
  const weight = get(backend, 'weight');
  if (typeof weight === 'number' && (weight < 0 || weight > 256)) {
    out.push({
      path: `${path}.weight`,
      message: 'weight must be an integer between 0 and 256',
      source: 'apiserver',
    });
  }
}

function apiServerProblems(route: JsonObject): RouteProblem[] {
  const out: RouteProblem[] = [];
  const problem = (path: string, message: string) =>
    out.push({ path, message, source: 'apiserver' });
  metadataProblems(route.metadata, out);
  const spec = route.spec;
  if (!isObject(spec)) return out;

  const host = get(spec, 'host');
  if (typeof host === 'string' && host.length > 0) {
    if (!isDns1123Subdomain(host))
      problem(
        'spec.host',
        'host must conform to DNS 952 subdomain conventions',
      );
    // openshift-apiserver waives this per-label rule for routes annotated
    // route.openshift.io/allow-non-dns-compliant-host=true, but the CRD's host pattern does not: not waived here.
    for (const label of host.split('.')) {
      for (const message of labelProblems(label))
        problem('spec.host', `${JSON.stringify(label)}: ${message}`);
    }
  }
  const subdomain = get(spec, 'subdomain');
  if (typeof subdomain === 'string' && subdomain.length > 0) {
    if (subdomain.length > 253)
      problem('spec.subdomain', 'must be no more than 253 characters');
    for (const label of subdomain.split('.')) {
      for (const message of labelProblems(label))
        problem('spec.subdomain', `${JSON.stringify(label)}: ${message}`);
    }
  }

  const policy = get(spec, 'wildcardPolicy');
  if (policy !== undefined && policy !== '') {
    if (policy !== 'None' && policy !== 'Subdomain')
      problem(
        'spec.wildcardPolicy',
        'Unsupported value: supported values: "None", "Subdomain"',
      );
    if (policy === 'Subdomain' && !host)
      problem(
        'spec.wildcardPolicy',
        'host name not specified for wildcard policy',
      );
  }

  const tls = get(spec, 'tls');
  const termination = get(tls, 'termination');
  const path = get(spec, 'path');
  if (typeof path === 'string' && path.length > 0) {
    if (!path.startsWith('/')) problem('spec.path', 'path must begin with /');
    if (termination === 'passthrough')
      problem('spec.path', 'passthrough termination does not support paths');
  }
  const actions = get(get(spec, 'httpHeaders'), 'actions');
  if (
    (Array.isArray(get(actions, 'request')) &&
      (get(actions, 'request') as Json[]).length) ||
    (Array.isArray(get(actions, 'response')) &&
      (get(actions, 'response') as Json[]).length)
  ) {
    if (termination === 'passthrough')
      problem(
        'spec.tls.termination',
        'only edge and re-encrypt routes are supported for providing customized headers.',
      );
  }

  backendProblems(get(spec, 'to'), 'spec.to', out);
  const alternates = get(spec, 'alternateBackends');
  if (Array.isArray(alternates)) {
    if (alternates.length > 3)
      problem(
        'spec.alternateBackends',
        'cannot specify more than 3 alternate backends',
      );
    alternates.forEach((b, i) =>
      backendProblems(b, `spec.alternateBackends[${i}]`, out),
    );
  }

  const port = get(spec, 'port');
  if (port !== undefined) {
    const target = get(port, 'targetPort');
    if (target === 0 || target === '' || target === undefined)
      problem('spec.port.targetPort', 'Required value');
  }

  if (isObject(tls)) {
    if (termination === 'passthrough') {
      for (const field of [
        'certificate',
        'key',
        'caCertificate',
        'destinationCACertificate',
      ]) {
        if (get(tls, field))
          problem(
            `spec.tls.${field}`,
            'passthrough termination does not support certificates',
          );
      }
    } else if (termination === 'edge') {
      if (get(tls, 'destinationCACertificate'))
        problem(
          'spec.tls.destinationCACertificate',
          'edge termination does not support destination certificates',
        );
    } else if (termination !== 'reencrypt') {
      problem(
        'spec.tls.termination',
        'Unsupported value: supported values: "edge", "passthrough", "reencrypt"',
      );
    }
    const insecure = get(tls, 'insecureEdgeTerminationPolicy');
    if (insecure !== undefined && insecure !== '') {
      const allowed =
        termination === 'passthrough'
          ? ['None', 'Redirect']
          : ['None', 'Allow', 'Redirect'];
      if (!allowed.includes(insecure as string)) {
        problem(
          'spec.tls.insecureEdgeTerminationPolicy',
          `invalid value for InsecureEdgeTerminationPolicy option, acceptable values are ${allowed.join(', ')}, or empty`,
        );
      }
    }
  }
  return out;
}

// ---- together ---------------------------------------------------------------------------------------------

/** Every reason an OpenShift API server would refuse to create this Route; empty when it would accept it. */
export function routeProblems(route: unknown): RouteProblem[] {
  const { validate, schema } = compiledSchema();
  const prepared = applyRouteDefaults(route);
  const problems: RouteProblem[] = [];
  if (!validate(prepared)) {
    problems.push(...(validate.errors ?? []).map(schemaProblem));
  } else {
    // As in Kubernetes, CEL rules run on a schema-valid object only.
    celProblems(schema, prepared, '', problems);
  }
  if (isObject(prepared)) problems.push(...apiServerProblems(prepared));
  return problems;
}

/** Throws an Error listing every problem when the API server would refuse the Route. */
export function assertValidRoute(route: unknown): void {
  const problems = routeProblems(route);
  if (problems.length) {
    const name = get(get(route as Json, 'metadata'), 'name') ?? '<unnamed>';
    throw new Error(
      `Route ${String(name)} would be refused:\n${problems.map(p => `  ${p.path}: ${p.message} [${p.source}]`).join('\n')}`,
    );
  }
}
