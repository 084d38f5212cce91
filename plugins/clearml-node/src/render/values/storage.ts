/**
 * The StorageClass of every claim the server chart renders: the fileserver's
 * PVC and the volumeClaimTemplates of mongodb, redis and elasticsearch
 * (clearml 7.14.4 and its subcharts). Sizes and access modes stay where the
 * tier rules put them; this names the class only.
 */
import { Tenant } from '@clearml-openshift/plugin-clearml-common';
import { Values } from './files';

export function storageClassValues(tenant: Tenant): Values {
  const name = tenant.storageClassName;
  if (!name || tenant.edition !== 'oss') return {};
  return {
    fileserver: { storage: { data: { class: name } } },
    mongodb: { persistence: { storageClass: name } },
    redis: { master: { persistence: { storageClass: name } } },
    elasticsearch: { volumeClaimTemplate: { storageClassName: name } },
  };
}
