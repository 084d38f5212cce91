export { clearmlApiRef } from './ClearmlApi';
export type { ClearmlApi, ClearmlRequestOptions } from './ClearmlApi';
export { ClearmlClient } from './ClearmlClient';
export { clearmlApiFactory } from './clearmlApiFactory';
