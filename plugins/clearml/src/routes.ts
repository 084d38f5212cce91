import { createRouteRef } from '@backstage/core-plugin-api';

/** The fleet page of every ClearML tenant (`ClearmlFleetPage`). */
export const fleetRouteRef = createRouteRef({ id: 'clearml:fleet' });
