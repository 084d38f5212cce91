export { renderRoutes } from './routes';
export type { RouteHosts, RenderedRoutes } from './routes';
export type { OpenShiftRoute } from './types';
