export {
  DEFAULT_STORAGE_CLASS_ANNOTATION,
  listStorageClasses,
  resolveStorageClass,
  storageClassSummaries,
  type StorageClassObject,
} from './storageClasses';
