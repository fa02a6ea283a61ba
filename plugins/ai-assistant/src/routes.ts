import { createRouteRef } from '@backstage/frontend-plugin-api';

/** The assistant page. */
export const rootRouteRef = createRouteRef();
