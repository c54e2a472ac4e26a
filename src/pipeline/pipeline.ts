import type { StrapiAdapter } from '../strapi/strapi-adapter';
import type { RealtimeConfig } from '../config/types';
import type { BusMessage, ChangeEvent, Entry, ManualEmit } from '../events/change-event';
import { REFERENCE_ONLY_ACTIONS, documentReference } from '../events/change-event';
import { createAudienceRegistry } from './audience-registry';
import { createPrincipalResolver } from './principal-resolver';
import { createSensitiveFieldFilter } from './sensitive-fields';
import { createPipelineStats } from './pipeline-stats';
import { watchPermissionChanges, type PermissionChange } from './permission-watch';
import type { Principal } from './principal';
import { AuthError } from './auth-error';

type Subject = ChangeEvent | ManualEmit;

/** What a permission change means for the holders of one credential: their principal now, or why they are refused. */
export type Recheck<T> = { holders: T[] } & ({ principal: Principal; error?: undefined } | { principal?: undefined; error: unknown });

/** Whether a principal is affected by a change of users or tokens (roles only change what audiences may read). */
const isAffected = (principal: Principal, change: PermissionChange): boolean => {
  if (change.kind === 'user') return principal.kind === 'user' && (change.userId === null || principal.user?.id === change.userId);
  if (change.kind === 'api-token') return principal.kind === 'api-token' && (change.tokenId === null || principal.apiToken?.id === change.tokenId);
  return false;
};

/**
 * The one permission + sanitize pipeline every transport calls. Work is keyed by audience, never by
 * socket: a thousand subscribers of one role cost one authorization and one sanitize per event.
 */
export const createPipeline = (strapi: StrapiAdapter, config: Pick<RealtimeConfig, 'sensitiveFields' | 'drafts'>) => {
  const stats = createPipelineStats();
  const audiences = createAudienceRegistry(strapi, stats);
  const stripSensitive = createSensitiveFieldFilter(config.sensitiveFields);
  const prepared = new WeakMap<Subject, Map<string, Promise<Entry | null>>>();
  const permissionListeners = new Set<(change: PermissionChange) => unknown>();

  let publicRole: Promise<{ id: number; name: string } | null> | null = null;
  const findPublicRole = () =>
    (publicRole ??= strapi.findPublicRole());

  const principals = createPrincipalResolver({
    strapi,
    publicRole: findPublicRole,
    onAuthenticated: (audienceKey, auth) => {
      stats.principalsResolved++;
      audiences.remember(audienceKey, auth);
    },
  });

  /** Strapi's content-API output sanitizer, then the blocklist. Fails closed: on error nothing leaves. */
  const sanitize = async (uid: string, entry: Entry, audienceKey: string): Promise<Entry | null> => {
    stats.sanitizeCalls++;
    try {
      const auth = await audiences.authFor(audienceKey);
      return stripSensitive(await strapi.sanitizeOutput(uid, entry, auth)) as Entry;
    } catch (error) {
      stats.sanitizeFailures++;
      strapi.log.error(`sanitizing ${uid} for ${audienceKey} failed, nothing sent`, error);
      return null;
    }
  };

  /**
   * What a message may carry into the event log (memory, or Redis shared by every node, for the whole retention):
   * only what some content-API reader could ever be shown. Strapi's output sanitizer without an audience removes
   * private attributes, passwords and tokens and admin users (`createdBy`); the blocklist follows. Per-audience
   * sanitizing still happens at delivery. Null when it cannot be reduced: then it is not appended (fail closed).
   */
  const reduceForLog = async (message: BusMessage): Promise<BusMessage | null> => {
    const subject = message.type === 'change' ? message.event : message.emit;
    if (!subject.entry) return message;
    try {
      const reduced = strapi.getModel(subject.uid) ? await strapi.sanitizeOutput(subject.uid, subject.entry, null) : subject.entry;
      const entry = stripSensitive(reduced) as Entry;
      return message.type === 'change' ? { type: 'change', event: { ...message.event, entry } } : { type: 'emit', emit: { ...message.emit, entry } };
    } catch (error) {
      stats.sanitizeFailures++;
      strapi.log.error(`reducing ${subject.uid} ${subject.id} for the event log failed, not appended`, error);
      return null;
    }
  };

  const prepareOnce = async (subject: Subject, audienceKey: string): Promise<Entry | null> => {
    if (!(await audiences.canRead(audienceKey, subject.uid))) return null;
    if ('action' in subject && REFERENCE_ONLY_ACTIONS.has(subject.action)) return documentReference(subject);
    return subject.entry ? sanitize(subject.uid, subject.entry, audienceKey) : null;
  };

  const stopWatching = watchPermissionChanges(strapi, (change) => {
    if (change.kind === 'roles') {
      publicRole = null;
      principals.forgetAnonymous();
      audiences.invalidate('role:');
    } else if (change.kind === 'api-token') {
      audiences.invalidate(change.tokenId === null ? 'api-token:' : `api-token:${change.tokenId}`);
    }
    // Listeners are async (they re-resolve principals): a failure is logged, never an unhandled rejection.
    for (const listener of permissionListeners) {
      Promise.resolve()
        .then(() => listener(change))
        .catch((error: unknown) => strapi.log.error('re-checking live connections after a permission change failed', error));
    }
  });

  /** Who a credential (JWT, API token, or none) is, through Strapi's own auth; throws AuthError. */
  const resolvePrincipal = (credential: string | null | undefined) =>
    principals.resolve(credential).catch((error: unknown) => {
      if (error instanceof AuthError) stats.principalsRejected++;
      throw error;
    });

  return {
    stats,
    resolvePrincipal,
    canRead: audiences.canRead,
    canFind: audiences.canFind,
    /** Drafts go only to those who ask for them and could read them over REST (`find`/`findOne`). */
    canReadDrafts: async (audienceKey: string, uid: string) => config.drafts && audiences.canRead(audienceKey, uid),
    /**
     * The payload of an event for one audience: the sanitized entry (or `{ documentId, locale }` for deletions),
     * or `null` when the audience may not read it. Memoized per (event, audience).
     */
    prepare(subject: Subject, audienceKey: string): Promise<Entry | null> {
      let byAudience = prepared.get(subject);
      if (!byAudience) prepared.set(subject, (byAudience = new Map()));
      let payload = byAudience.get(audienceKey);
      if (!payload) byAudience.set(audienceKey, (payload = prepareOnce(subject, audienceKey)));
      return payload;
    },
    reduceForLog,
    /** Sanitizes an entry of `uid` loaded outside an event (relations resolved later); callers memoize. */
    sanitize,
    stripSensitive,
    /** Principals that may be affected by a change of roles, users or tokens must be re-resolved by their transport. */
    onPermissionChange(listener: (change: PermissionChange) => unknown) {
      permissionListeners.add(listener);
      return () => permissionListeners.delete(listener);
    },
    /**
     * The connections a change of users or tokens affects, grouped by credential and each credential resolved
     * again once (a user with ten open tabs costs one query): its new principal, or the error that refuses it.
     */
    async recheck<T>(change: PermissionChange, holders: Iterable<T>, principalOf: (holder: T) => Principal | null): Promise<Recheck<T>[]> {
      const byCredential = new Map<string, T[]>();
      for (const holder of holders) {
        const principal = principalOf(holder);
        if (!principal?.credential || !isAffected(principal, change)) continue;
        byCredential.set(principal.credential, [...(byCredential.get(principal.credential) ?? []), holder]);
      }
      const rechecks: Recheck<T>[] = [];
      for (const [credential, affected] of byCredential) {
        try {
          rechecks.push({ holders: affected, principal: await resolvePrincipal(credential) });
        } catch (error) {
          rechecks.push({ holders: affected, error });
        }
      }
      return rechecks;
    },
    dispose() {
      stopWatching();
      permissionListeners.clear();
    },
  };
};

export type Pipeline = ReturnType<typeof createPipeline>;
