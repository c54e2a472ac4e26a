import { register } from './register';
import { bootstrap } from './bootstrap';
import { destroy } from './destroy';
import { pluginConfig } from './config';
import { realtimeService } from './services/realtime';
import { monitoringService } from './services/monitoring';
import { adminRoutes } from './admin-api/routes';
import { dashboardController } from './admin-api/dashboard-controller';

export default {
  register,
  bootstrap,
  destroy,
  config: pluginConfig,
  services: {
    realtime: realtimeService,
    monitoring: monitoringService,
  },
  // The admin panel's Realtime page reads these (admin session + `plugin::realtime.read`).
  routes: adminRoutes,
  controllers: {
    dashboard: dashboardController,
  },
};

// The plugin's options, for `config/plugins.ts`: `realtime: { config: { ... } satisfies RealtimePluginConfig }`.
export type * from './config/realtime-plugin-config';

// Types of `strapi.$io`, config handlers and the monitoring service (plugin-io's names).
export type {
  SocketIO,
  SocketIOConfig,
  SocketIOHooks,
  EmitOptions,
  RawEmitOptions,
  LegacyRawOptions,
  SocketInfo,
  SocketUser,
  EntitySubscription,
  EntitySubscriptionResult,
  EntitySubscriptionsResult,
  SocketEventContext,
  SocketEventHandler,
  SocketEventDefinition,
  RealtimeServer,
  RealtimeSocket,
  RealtimeSocketData,
} from './transports/socket-io/types';
export type { MonitoringService, ConnectionStats, EventStats, EventLogEntry, TestEventResult } from './services/monitoring-types';
export type { TransportStats } from './transports/transport';
