import type { Core } from '@strapi/strapi';
import type { ConnectionRegistry } from './connection-registry';
import type { RealtimeServer } from './types';

/** The running Socket.IO server of one Strapi instance, for the monitoring service (kept per instance). */
export interface SocketIoHandle {
  io: RealtimeServer;
  registry: ConnectionRegistry;
}

const handles = new WeakMap<Core.Strapi, SocketIoHandle>();

export const setSocketIoHandle = (strapi: Core.Strapi, handle: SocketIoHandle) => handles.set(strapi, handle);
export const clearSocketIoHandle = (strapi: Core.Strapi) => handles.delete(strapi);
export const socketIoHandleOf = (strapi: Core.Strapi): SocketIoHandle | undefined => handles.get(strapi);
