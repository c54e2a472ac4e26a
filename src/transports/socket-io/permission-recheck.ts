import type { Pipeline } from '../../pipeline/pipeline';
import type { PermissionChange } from '../../pipeline/permission-watch';
import { AuthError, type AuthErrorCode } from '../../pipeline/auth-error';
import type { Connection, ConnectionRegistry } from './connection-registry';
import type { EntitySubscriptions } from './entity-subscriptions';
import type { Log } from '../../log';

/**
 * When users or API tokens change, the affected sockets' credentials are resolved again (once per credential,
 * not per socket): a blocked user, a deleted or expired token is disconnected; a role change moves the socket to
 * its new audience room and drops entity subscriptions the new audience may not read.
 */
export const createPermissionRecheck = (options: {
  pipeline: Pipeline;
  registry: ConnectionRegistry;
  entities: EntitySubscriptions;
  refuse: (connection: Connection, code: AuthErrorCode, message: string) => void;
  log: Log;
}) => {
  const { pipeline, registry, entities, refuse, log } = options;

  return async (change: PermissionChange) => {
    if (change.kind === 'roles') {
      // Content events need nothing (the pipeline re-checks audiences per event), but entity rooms also carry
      // server emits (`emitToEntity`): drop subscriptions whose audience lost READ. Answers are cached per audience.
      for (const connection of [...registry.all()]) await entities.recheck(connection);
      return;
    }
    for (const { holders, principal, error } of await pipeline.recheck(change, registry.all(), (c) => c.principal)) {
      if (principal) {
        for (const connection of holders) if (registry.update(connection, principal)) await entities.recheck(connection);
      } else if (error instanceof AuthError) {
        for (const connection of holders) refuse(connection, error.code, error.message);
      } else log.error('socket.io: re-checking a credential failed, sockets kept', error);
    }
  };
};
