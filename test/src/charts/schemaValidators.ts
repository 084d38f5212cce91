/**
 * Schema validation of rendered objects: Argo CD 3.6's CRDs (packages/test-utils/reference/argocd)
 * and Kubernetes' own kinds (kubernetesSchema), with one Ajv that knows the
 * OpenAPI integer formats the CRDs use.
 */
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import fs from 'fs';
import yaml from 'js-yaml';
import { referencePath } from '@internal/clearml-test-utils';
import { kubernetesSchema } from './kubernetesSchema';

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addFormat('int32', { type: 'number', validate: n => Number.isInteger(n) });
ajv.addFormat('int64', { type: 'number', validate: n => Number.isInteger(n) });

export type ObjectValidator = ReturnType<typeof ajv.compile>;

/** The validator of one Argo CD CRD's v1alpha1 schema (`application-crd.yaml`, …). */
export function argocdCrdValidator(file: string): ObjectValidator {
  const crd = yaml.load(
    fs.readFileSync(referencePath('argocd', file), 'utf8'),
  ) as any;
  return ajv.compile(
    crd.spec.versions.find((v: any) => v.name === 'v1alpha1').schema
      .openAPIV3Schema,
  );
}

/** The validator of a Kubernetes kind, from client-node's generated models. */
export function kubernetesValidator(
  model: string,
  apiVersion: string,
  kind: string,
): ObjectValidator {
  return ajv.compile(kubernetesSchema(model, apiVersion, kind));
}

/** The validator of a CRD's schema at one version, from a file under packages/test-utils/reference (e.g. external-secrets). */
export function crdValidator(
  source: string,
  file: string,
  version: string,
): ObjectValidator {
  const crd = yaml.load(
    fs.readFileSync(referencePath(source, file), 'utf8'),
  ) as any;
  return ajv.compile(
    crd.spec.versions.find((v: any) => v.name === version).schema
      .openAPIV3Schema,
  );
}
