import { READ_ACTION } from './permissions';

/** Admin-panel routes only (`/realtime/...` with an admin session): content-API tokens and user JWTs get 401. */
const policies = ['admin::isAuthenticatedAdmin', { name: 'admin::hasPermissions', config: { actions: [READ_ACTION] } }];

export const adminRoutes = {
  admin: {
    type: 'admin',
    routes: [
      { method: 'GET', path: '/overview', handler: 'dashboard.overview', config: { policies } },
      { method: 'GET', path: '/config', handler: 'dashboard.config', config: { policies } },
    ],
  },
};
