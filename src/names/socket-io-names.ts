/** Socket.IO event and room names, matching plugin-io (and strapi-plugin-socketio's user rooms). */
import type { ChangeAction, SocketAction } from '../config/types';

/** plugin-io's verb for each action; `draftDiscarded` has none (plugin-io never sent it). */
export const SOCKET_VERB: Record<ChangeAction, SocketAction | null> = {
  created: 'create',
  updated: 'update',
  deleted: 'delete',
  published: 'publish',
  unpublished: 'unpublish',
  draftDiscarded: null,
};

/** `article:create` (or `<eventPrefix>:<verb>`). */
export const socketEventName = (eventPrefix: string, verb: string) => `${eventPrefix}:${verb}`;

/** plugin-io's entity room: `api::article.article:123` (numeric id or documentId). */
export const entityRoomName = (uid: string, id: string | number) => `${uid}:${id}`;
/**
 * The uid and id of an entity room (`api::article.article:123` → uid + `123`), or `null` for any other room.
 * The uid never contains a single `:`, so the id is everything after the first `:` that follows it.
 */
export const parseEntityRoomName = (room: string): { uid: string; id: string } | null => {
  const match = /^((?:api|plugin|admin)::[^:]+):(.+)$/.exec(room);
  return match ? { uid: match[1], id: match[2] } : null;
};
/**
 * plugin-io's role and token rooms as its code names them (`io-role-authenticated`, `io-token-<name>`): lower-cased,
 * and only the first space replaced by `-` (plugin-io's `.replace(' ', '-')`), so server code keeps finding them.
 */
export const ioRoleRoomName = (roleName: string) => `io-role-${roleName.toLowerCase()}`.replace(' ', '-');
export const ioTokenRoomName = (tokenName: string) => `io-token-${tokenName.toLowerCase()}`.replace(' ', '-');
/** strapi-plugin-socketio's per-user room, joined automatically by authenticated sockets. */
export const userRoomName = (userId: number | string) => `user::${userId}`;
/** Internal room of one audience: content events are broadcast once per audience into it. */
export const audienceRoomName = (audienceKey: string) => `realtime:audience:${audienceKey}`;

/** The gap signal on the Socket.IO wire: `{ reason, cursor }`; the client must refetch what it shows. */
export const GAP_EVENT = 'realtime:gap';
/** Sent on connect with the newest cursor, so a socket that gets no event before it drops can still resume. */
export const CURSOR_EVENT = 'realtime:cursor';
