import type { Core } from '@strapi/strapi';
import { clearRuntime, runtimeOf } from './runtime';

export const destroy = async ({ strapi }: { strapi: Core.Strapi }) => {
  await runtimeOf(strapi).disposers.disposeAll();
  clearRuntime(strapi);
};
