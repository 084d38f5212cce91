import path from 'node:path';

/**
 * The StorageClasses of an OpenShift cluster on AWS (`gp3-csi`, the default, and `gp2-csi`), a file to load into the
 * Kubernetes API double (`loadFile`).
 */
export const AWS_STORAGE_CLASSES_FILE = path.join(
  __dirname,
  'storage-classes.yaml',
);
