export {
  DEFAULT_STORAGE_CLASS_ANNOTATION,
  listStorageClasses,
  resolveStorageClass,
  storageClassSummaries,
} from './storageClasses';
