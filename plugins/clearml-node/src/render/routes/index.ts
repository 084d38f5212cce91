export * from './routes';
export type { OpenShiftRoute } from './types';
