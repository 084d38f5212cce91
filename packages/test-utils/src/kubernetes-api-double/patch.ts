/**
 * The patch formats the API server accepts: JSON patch (RFC 6902), JSON merge
 * patch (RFC 7386); strategic merge patch and server-side apply are applied
 * with merge-patch semantics (lists replaced, not merged by key), which is
 * what the objects this product writes need.
 */
import { unprocessable } from './status';

type Json = any;

function clone<T>(value: T): T {
  return value === undefined ? value : JSON.parse(JSON.stringify(value));
}

export function applyMergePatch(target: Json, patch: Json): Json {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch))
    return clone(patch);
  const result: Json =
    target !== null && typeof target === 'object' && !Array.isArray(target)
      ? clone(target)
      : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key], value);
  }
  return result;
}

function decodePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/'))
    throw unprocessable(`invalid JSON pointer: ${JSON.stringify(pointer)}`);
  return pointer
    .slice(1)
    .split('/')
    .map(s => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(
  doc: Json,
  tokens: string[],
  op: string,
  path: string,
): { parent: Json; key: string } {
  let parent = doc;
  for (const token of tokens.slice(0, -1)) {
    parent = Array.isArray(parent) ? parent[Number(token)] : parent?.[token];
    if (parent === undefined || parent === null || typeof parent !== 'object') {
      throw unprocessable(
        `${op} operation does not apply: doc is missing path: "${path}": missing value`,
      );
    }
  }
  return { parent, key: tokens[tokens.length - 1] };
}

function getAt(doc: Json, path: string): Json {
  let current = doc;
  for (const token of decodePointer(path)) {
    current = Array.isArray(current)
      ? current[Number(token)]
      : current?.[token];
    if (current === undefined)
      throw unprocessable(`doc is missing path: "${path}": missing value`);
  }
  return current;
}

function remove(doc: Json, path: string, op: string): Json {
  const { parent, key } = parentOf(doc, decodePointer(path), op, path);
  if (Array.isArray(parent)) {
    const index = Number(key);
    if (!(index >= 0 && index < parent.length))
      throw unprocessable(
        `${op} operation does not apply: doc is missing path: "${path}": missing value`,
      );
    return parent.splice(index, 1)[0];
  }
  if (!(key in parent))
    throw unprocessable(
      `${op} operation does not apply: doc is missing path: "${path}": missing value`,
    );
  const value = parent[key];
  delete parent[key];
  return value;
}

function add(doc: Json, path: string, value: Json, op: string): void {
  const { parent, key } = parentOf(doc, decodePointer(path), op, path);
  if (Array.isArray(parent)) {
    if (key === '-') parent.push(value);
    else {
      const index = Number(key);
      if (!(index >= 0 && index <= parent.length))
        throw unprocessable(
          `${op} operation does not apply: index out of bounds: ${path}`,
        );
      parent.splice(index, 0, value);
    }
  } else {
    parent[key] = value;
  }
}

export function applyJsonPatch(target: Json, operations: Json): Json {
  if (!Array.isArray(operations))
    throw unprocessable('json patch must be an array of operations');
  let doc = clone(target);
  for (const operation of operations) {
    const { op, path, from, value } = operation ?? {};
    if (path === '') {
      if (op === 'add' || op === 'replace') doc = clone(value);
      else
        throw unprocessable(
          `unsupported operation on the document root: ${op}`,
        );
      continue;
    }
    switch (op) {
      case 'add':
        add(doc, path, clone(value), op);
        break;
      case 'remove':
        remove(doc, path, op);
        break;
      case 'replace':
        remove(doc, path, op);
        add(doc, path, clone(value), op);
        break;
      case 'move':
        add(doc, path, remove(doc, from, op), op);
        break;
      case 'copy':
        add(doc, path, clone(getAt(doc, from)), op);
        break;
      case 'test':
        if (JSON.stringify(getAt(doc, path)) !== JSON.stringify(value)) {
          throw unprocessable(`testing value ${path} failed: test failed`);
        }
        break;
      default:
        throw unprocessable(`Unexpected kind: ${op}`);
    }
  }
  return doc;
}
