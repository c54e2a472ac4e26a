import { CHANGE_ACTIONS, type ChangeAction } from '../config/types';
import { REFERENCE_ONLY_ACTIONS, type BusMessage, type Entry } from './change-event';

const UID = /^(?:api|plugin|admin)::[\w-]+\.[\w-]+$/;
const VERB = /^[^\s:]{1,64}$/;
const MAX_ID_LENGTH = 256;
const ACTIONS = new Set<string>(CHANGE_ACTIONS);

const isRecord = (value: unknown): value is Record<string, unknown> => !!value && typeof value === 'object' && !Array.isArray(value);
const isId = (value: unknown): value is string => typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH;
const isTimestamp = (value: unknown): value is string => typeof value === 'string' && !Number.isNaN(Date.parse(value));
const isEntry = (value: unknown): value is Entry => isRecord(value);

/**
 * Checks a message that arrived from outside this process (another node, over Redis) completely, as untrusted
 * input: every field of the event or emit, with its type. Returns why it is refused, or null when it is well formed.
 */
export const busMessageProblem = (value: unknown): string | null => {
  if (!isRecord(value)) return 'not an object';
  if (value.type === 'change') {
    const event = value.event;
    if (!isRecord(event)) return 'change without an event';
    if (!isId(event.id)) return 'event.id';
    if (typeof event.uid !== 'string' || !UID.test(event.uid)) return 'event.uid';
    if (typeof event.action !== 'string' || !ACTIONS.has(event.action)) return 'event.action';
    if (!isId(event.documentId)) return 'event.documentId';
    if (event.locale !== null && !isId(event.locale)) return 'event.locale';
    if (event.status !== 'draft' && event.status !== 'published') return 'event.status';
    if (REFERENCE_ONLY_ACTIONS.has(event.action as ChangeAction) ? event.entry !== null : !isEntry(event.entry)) return 'event.entry';
    if (!isTimestamp(event.at)) return 'event.at';
    return null;
  }
  if (value.type === 'emit') {
    const emit = value.emit;
    if (!isRecord(emit)) return 'emit without its content';
    if (!isId(emit.id)) return 'emit.id';
    if (typeof emit.uid !== 'string' || !UID.test(emit.uid)) return 'emit.uid';
    if (typeof emit.verb !== 'string' || !VERB.test(emit.verb)) return 'emit.verb';
    if (!isEntry(emit.entry)) return 'emit.entry';
    if (!isTimestamp(emit.at)) return 'emit.at';
    return null;
  }
  return 'unknown type';
};

export const isBusMessage = (value: unknown): value is BusMessage => busMessageProblem(value) === null;
