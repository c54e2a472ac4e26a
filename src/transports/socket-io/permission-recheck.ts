import type { Pipeline } from '../../pipeline/pipeline';
import type { PermissionChange } from '../../pipeline/permission-watch';
import { AuthError, type AuthErrorCode } from '../../pipeline/auth-error';
import type { Connection, ConnectionRegistry } from './connection-registry';
import type { EntitySubscriptions } from './entity-subscriptions';

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
  log: { error(message: string): void };
}) => {
  const { pipeline, registry, entities, refuse, log } = options;

  return async (change: PermissionChange) => {
    if (change.kind === 'roles') {
      // Content events need nothing (the pipeline re-checks audiences per event), but entity rooms also carry
      // server emits (`emitToEntity`): drop subscriptions whose audience lost READ. Answers are cached per audience.
      for (const connection of [...registry.all()]) await entities.recheck(connection);
      return;
    }
    const byCredential = new Map<string, Connection[]>();
    for (const connection of registry.all()) {
      const { credential } = connection.principal;
      if (!credential || !pipeline.isAffected(connection.principal, change)) continue;
      byCredential.set(credential, [...(byCredential.get(credential) ?? []), connection]);
    }
    for (const [credential, connections] of byCredential) {
      try {
        const principal = await pipeline.resolvePrincipal(credential);
        for (const connection of connections) {
          if (registry.update(connection, principal)) await entities.recheck(connection);
        }
      } catch (error) {
        if (error instanceof AuthError) for (const connection of connections) refuse(connection, error.code, error.message);
        else log.error(`[realtime] socket.io: re-checking a credential failed, sockets kept: ${String(error)}`);
      }
    }
  };
};
