/**
 * JSON Schemas of Kubernetes kinds, built from the models `@kubernetes/client-node`
 * generates from Kubernetes' OpenAPI spec (v1.34): each model's properties and
 * types (`attributeTypeMap`) and which properties are required (the generated
 * declarations mark optional ones with `?`). No other copy of Kubernetes'
 * OpenAPI is available offline; this one is the spec the client itself speaks.
 */
import fs from 'fs';
import path from 'path';
import * as k8s from '@kubernetes/client-node';

type Schema = Record<string, unknown>;

const MODELS_DIR = path.join(
  path.dirname(require.resolve('@kubernetes/client-node')),
  'gen',
  'models',
);

function requiredProperties(model: string): string[] {
  const declaration = fs.readFileSync(
    path.join(MODELS_DIR, `${model}.d.ts`),
    'utf8',
  );
  return [...declaration.matchAll(/^\s+'([A-Za-z0-9_$]+)': /gm)].map(m => m[1]);
}

function typeSchema(type: string, definitions: Record<string, Schema>): Schema {
  const array = /^Array<(.+)>$/.exec(type);
  if (array) return { type: 'array', items: typeSchema(array[1], definitions) };
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map)
    return {
      type: 'object',
      additionalProperties: typeSchema(map[1], definitions),
    };
  if (type === 'string' || type === 'Date') return { type: 'string' };
  if (type === 'number') return { type: 'number' };
  if (type === 'boolean') return { type: 'boolean' };
  if (type === 'any' || type === 'object') return {};
  if (type === 'IntOrString') return { type: ['integer', 'string'] };
  modelSchema(type, definitions);
  return { $ref: `#/definitions/${type}` };
}

function modelSchema(model: string, definitions: Record<string, Schema>): void {
  if (definitions[model]) return;
  const cls = (k8s as Record<string, any>)[model];
  if (!cls?.getAttributeTypeMap)
    throw new Error(`@kubernetes/client-node has no model ${model}`);
  definitions[model] = {}; // placeholder against cycles (JSONSchemaProps and the like)
  const attributes = cls.getAttributeTypeMap() as Array<{
    baseName: string;
    type: string;
  }>;
  definitions[model] = {
    type: 'object',
    additionalProperties: false,
    required: requiredProperties(model),
    properties: Object.fromEntries(
      attributes.map(a => [a.baseName, typeSchema(a.type, definitions)]),
    ),
  };
}

/** The schema of a kind by its client-node model name (`V1RoleBinding`), with `apiVersion` and `kind` fixed. */
export function kubernetesSchema(
  model: string,
  apiVersion: string,
  kind: string,
): Schema {
  const definitions: Record<string, Schema> = {};
  modelSchema(model, definitions);
  return {
    allOf: [
      { $ref: `#/definitions/${model}` },
      {
        properties: {
          apiVersion: { const: apiVersion },
          kind: { const: kind },
        },
        required: ['apiVersion', 'kind'],
      },
    ],
    definitions,
  };
}
