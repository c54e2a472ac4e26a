import type { Principal } from '../../pipeline/principal';
import { audienceRoomName, ioRoleRoomName, ioTokenRoomName, userRoomName } from '../../names/socket-io-names';
import type { RealtimeSocketData, SocketUser } from './types';

/**
 * Rooms a principal's sockets sit in: the audience room (content events, one broadcast per audience), the
 * role-name room plugin-io's README promises (`Public` per `publicRoleName`, `Authenticated`, ...), the rooms
 * plugin-io's code really used (`io-role-<name>`, `io-token-<name>`), and `user::<id>` (strapi-plugin-socketio).
 */
export const principalRooms = (principal: Principal, publicRoleName: string): string[] => {
  const rooms = [audienceRoomName(principal.audienceKey)];
  if (principal.kind === 'public') {
    rooms.push(publicRoleName, ioRoleRoomName(principal.roleName ?? 'public'));
  } else if (principal.kind === 'user') {
    if (principal.roleName) rooms.push(principal.roleName, ioRoleRoomName(principal.roleName));
    if (principal.user) rooms.push(userRoomName(principal.user.id));
  } else if (principal.apiToken) {
    rooms.push(ioTokenRoomName(principal.apiToken.name));
  }
  return [...new Set(rooms)];
};

/** `socket.data` for a principal: plugin-io's `user` shape, and the principal without its raw credential. */
export const socketDataFor = (principal: Principal, publicRoleName: string): RealtimeSocketData => {
  const { credential: _credential, ...visible } = principal;
  const user: SocketUser | null =
    principal.kind === 'user' && principal.user
      ? {
          id: principal.user.id,
          username: principal.user.username,
          email: principal.user.email,
          role: principal.roleName ?? null,
        }
      : null;
  return {
    principal: visible,
    user,
    userId: principal.user?.id,
    role: principal.kind === 'public' ? publicRoleName : (principal.roleName ?? principal.apiToken?.name),
  };
};
