import type { Core } from '@strapi/strapi';
import type { BusMessage, ChangeEvent } from '../../src/events/change-event';

/** Records every ChangeEvent the plugin captures, through its public server-side service. */
export const recordChanges = (strapi: Core.Strapi) => {
  const events: ChangeEvent[] = [];
  const service = strapi.plugin('realtime').service('realtime') as {
    onChange(listener: (message: BusMessage) => void): () => void;
  };
  const stop = service.onChange((message) => {
    if (message.type === 'change') events.push(message.event);
  });
  return {
    events,
    stop,
    clear: () => events.splice(0, events.length),
    of: (documentId: string) => events.filter((event) => event.documentId === documentId),
  };
};
