import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type { Core } from '@strapi/strapi';
import type { ChangeEvent, Entry } from '../../src/events/change-event';

const require = createRequire(__filename);

/**
 * Appends changes straight to the running plugin's event log (the module instance the app loaded from dist/), all
 * in one synchronous step: every record is queued before the first one is delivered, so a test can put delivery
 * behind on purpose (conflation, budgets) instead of hoping a burst of real writes outruns it.
 */
export const appendChanges = (strapi: Core.Strapi, events: Partial<ChangeEvent>[]) => {
  const runtime = require(resolve(__dirname, '../../dist/server/runtime.js'));
  const { eventLog } = runtime.startedRuntimeOf(strapi).context;
  events.forEach((event, index) =>
    eventLog.append({
      type: 'change',
      event: {
        id: `appended-${Date.now()}-${index}`,
        uid: 'api::article.article',
        action: 'created',
        documentId: `doc-${index}`,
        locale: null,
        status: 'published',
        entry: null,
        at: new Date().toISOString(),
        ...event,
      },
    }),
  );
};

/** An article row as the capture would read it (enough for sanitizing and the subscription's fields). */
export const articleRow = (documentId: string, title: string, body = ''): Entry => ({
  id: 1,
  documentId,
  title,
  body,
  locale: null,
  createdAt: new Date().toISOString(),
  updatedAt: new Date().toISOString(),
  publishedAt: new Date().toISOString(),
});
