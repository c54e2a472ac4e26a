import type { Core } from '@strapi/strapi';
import type { Runtime } from '../../runtime';
import type { RunningTransport } from '../transport';

/** Placeholder until the Socket.IO transport lands in this directory. */
export const startSocketIoTransport = async (_strapi: Core.Strapi, _runtime: Runtime): Promise<RunningTransport> => {
  throw new Error('[realtime] the Socket.IO transport is not implemented yet');
};
