import jwt from 'jsonwebtoken';
import type { Entry } from '../../../src/events/change-event';
import { createLog } from '../../../src/log';
import type { ContentModel } from '../../../src/schema/content-model';
import type {
  ApiTokenRecord,
  DocumentCall,
  DocumentQuery,
  LifecycleEvent,
  StrapiAdapter,
  StrapiAuth,
} from '../../../src/strapi/strapi-adapter';
import { CONTENT_MODELS } from './content-models';

const JWT_SECRET = 'unit-test-jwt-secret';

export const PUBLIC_ROLE = 1;
export const AUTHENTICATED_ROLE = 2;
export const EDITOR_ROLE = 3;

type Ability = { can(action: string): boolean };
type Scope = { scope?: string | string[] };

const abilityOf = (actions: Iterable<string>): Ability => {
  const allowed = new Set(actions);
  return { can: (action) => allowed.has(action) };
};

const scopesOf = (config: Scope) => (Array.isArray(config.scope) ? config.scope : config.scope ? [config.scope] : []);

/** Strapi's two content-API strategies, as far as `verify` goes: a role's ability, or an API token's type. */
const USERS_PERMISSIONS: StrapiAuth['strategy'] = {
  name: 'users-permissions',
  verify(auth, config) {
    if (!scopesOf(config).some((scope) => (auth.ability as Ability | null)?.can(scope))) throw new Error('Forbidden');
  },
};
const API_TOKEN: StrapiAuth['strategy'] = {
  name: 'content-api-token',
  verify(auth, config) {
    const token = auth.credentials as FakeApiToken;
    const allowed = (scope: string) =>
      token.type === 'full-access' ||
      (token.type === 'read-only' && /\.(find|findOne)$/.test(scope)) ||
      (token.type === 'custom' && (auth.ability as Ability | null)?.can(scope) === true);
    if (!scopesOf(config).some(allowed)) throw new Error('Forbidden');
  },
};

export interface FakeUser {
  id: number;
  roleId: number;
  blocked: boolean;
}

export interface FakeApiToken extends ApiTokenRecord {
  name: string;
  accessKey: string;
  expiresAt: string | null;
}

/** A document version as the fake database keeps it; relations hold the documentId of their target. */
export type StoredEntry = Entry & { uid: string; documentId: string; locale?: string | null; publishedAt?: string | null };

type Method = keyof StrapiAdapter;

export interface FakeStrapi extends StrapiAdapter {
  /** Every line logged, with its level. */
  readonly logs: { level: string; message: string }[];
  /** How often each adapter method was called. */
  readonly calls: Partial<Record<Method, number>>;
  readonly roles: Map<number, { name: string; actions: Set<string> }>;
  readonly users: Map<number, FakeUser>;
  readonly apiTokens: Map<number, FakeApiToken>;
  readonly entries: StoredEntry[];
  /** The next call of `method` rejects with `error` (queued: call twice for two failures). */
  failNext(method: Method, error?: Error): void;
  /**
   * Sets the content-API permissions (`<uid>.find`, `<uid>.findOne`, ...) of a role, replacing what it had, and
   * fires the permission table's lifecycle as Strapi's write would.
   */
  grant(roleId: number, actions: string[]): void;
  /** A users-permissions JWT for a user (created on the fly with the role). */
  userToken(userId: number, roleId?: number, options?: { expiresInSeconds?: number }): string;
  /** An API token; returns its key. */
  apiToken(id: number, type: 'read-only' | 'full-access' | 'custom', permissions?: string[]): string;
  /** Runs a Document Service call through the registered middlewares; `result` is what Strapi's own call returns. */
  documentCall(call: DocumentCall, result: unknown): Promise<unknown>;
  /** Runs `work` inside a transaction: `afterCommit` jobs wait for its end, and are dropped on rollback. */
  transaction(work: () => Promise<void>, outcome?: 'commit' | 'rollback'): Promise<void>;
  /** Fires a database lifecycle event to the subscribers of its model. */
  lifecycle(event: LifecycleEvent): void;
  /** Makes `sanitizeOutput` throw for entries this matches. */
  sanitizeFailsFor: ((uid: string, entry: Entry) => boolean) | null;
}

/**
 * An in-memory Strapi behind the `StrapiAdapter` boundary, for tests without a booted app: articles and
 * categories, roles with permissions, users (real JWTs) and API tokens, Strapi's content-API auth and output
 * sanitizer in miniature (private fields go, relations the audience may not `find` go), Document Service
 * middlewares, transactions and lifecycles. Any method can be told to fail once.
 */
export const createFakeStrapi = (models: readonly ContentModel[] = CONTENT_MODELS): FakeStrapi => {
  const byUid = new Map(models.map((model) => [model.uid, model]));
  const logs: { level: string; message: string }[] = [];
  const calls: Partial<Record<Method, number>> = {};
  const failures = new Map<Method, Error[]>();
  const roles = new Map<number, { name: string; actions: Set<string> }>([
    [PUBLIC_ROLE, { name: 'Public', actions: new Set() }],
    [AUTHENTICATED_ROLE, { name: 'Authenticated', actions: new Set() }],
    [EDITOR_ROLE, { name: 'Editor', actions: new Set() }],
  ]);
  const users = new Map<number, FakeUser>();
  const apiTokens = new Map<number, FakeApiToken>();
  const entries: StoredEntry[] = [];
  const middlewares: ((call: DocumentCall, next: () => Promise<unknown>) => Promise<unknown>)[] = [];
  const lifecycleSubscribers: { models: readonly string[]; handler: (event: LifecycleEvent) => void }[] = [];
  let openTransaction: (() => void)[] | null = null;

  /** Counts the call, then throws a queued failure if there is one. */
  const enter = (method: Method) => {
    calls[method] = (calls[method] ?? 0) + 1;
    const error = failures.get(method)?.shift();
    if (error) throw error;
  };

  const isAllowed = (auth: StrapiAuth, scope: string) => {
    try {
      auth.strategy.verify?.(auth, { scope: [scope] });
      return true;
    } catch {
      return false;
    }
  };

  const isPublished = (entry: StoredEntry) => entry.publishedAt !== null && entry.publishedAt !== undefined;

  const findStored = (uid: string, query: Pick<DocumentQuery, 'documentId' | 'locale' | 'status'>) => {
    const model = byUid.get(uid);
    const draftAndPublish = model?.options?.draftAndPublish === true;
    return entries.find(
      (entry) =>
        entry.uid === uid &&
        entry.documentId === query.documentId &&
        (!query.locale || entry.locale === query.locale) &&
        (!draftAndPublish || (query.status === 'draft' ? !isPublished(entry) : isPublished(entry))),
    );
  };

  /** The entry as the Document Service returns it: relations only when populated, then as entries. */
  const shape = (uid: string, stored: StoredEntry, query: Pick<DocumentQuery, 'fields' | 'populate'>): Entry => {
    const model = byUid.get(uid)!;
    const { uid: _uid, ...entry } = stored;
    const populate = (query.populate ?? {}) as Record<string, unknown>;
    const result: Entry = query.fields ? Object.fromEntries(query.fields.map((field) => [field, entry[field]])) : { ...entry };
    for (const [name, attribute] of Object.entries(model.attributes)) {
      if (attribute.type !== 'relation') continue;
      delete result[name];
      if (!(name in populate) || !attribute.target) continue;
      const ids = entry[name];
      const load = (documentId: unknown) => {
        const target = entries.find((candidate) => candidate.uid === attribute.target && candidate.documentId === documentId);
        if (!target) return null;
        const { uid: _targetUid, ...related } = target;
        return related;
      };
      result[name] = Array.isArray(ids) ? ids.map(load).filter(Boolean) : ids ? load(ids) : null;
    }
    return result;
  };

  /** Private fields dropped at any depth; with an auth, also relations it may not `find` (Strapi's rule). */
  const sanitize = (uid: string, entry: Entry, auth: StrapiAuth | null, depth = 0): Entry => {
    const model = byUid.get(uid);
    if (!model) return entry;
    const clean: Entry = {};
    for (const [key, value] of Object.entries(entry)) {
      const attribute = model.attributes[key];
      if (attribute?.private) continue;
      if (attribute?.type === 'relation' && attribute.target) {
        if ((auth && !isAllowed(auth, `${attribute.target}.find`)) || depth > 2) continue;
        const target = attribute.target;
        clean[key] = Array.isArray(value)
          ? value.map((item) => sanitize(target, item as Entry, auth, depth + 1))
          : value && typeof value === 'object'
            ? sanitize(target, value as Entry, auth, depth + 1)
            : value;
        continue;
      }
      clean[key] = value;
    }
    return clean;
  };

  const userAuth = (user: FakeUser): StrapiAuth => {
    const role = roles.get(user.roleId);
    return {
      strategy: USERS_PERMISSIONS,
      credentials: { id: user.id, documentId: `user-${user.id}`, username: `user${user.id}`, role: { id: user.roleId, name: role?.name } },
      ability: abilityOf(role?.actions ?? []),
    };
  };

  const fake: FakeStrapi = {
    log: createLog({
      debug: (message) => logs.push({ level: 'debug', message }),
      info: (message) => logs.push({ level: 'info', message }),
      warn: (message) => logs.push({ level: 'warn', message }),
      error: (message) => logs.push({ level: 'error', message }),
    }),
    logs,
    calls,
    roles,
    users,
    apiTokens,
    entries,
    sanitizeFailsFor: null,

    getModel: (uid) => byUid.get(uid),
    contentTypeUids: () => [...byUid.keys()],

    async findDocument(uid, query) {
      enter('findDocument');
      const stored = findStored(uid, query);
      return stored ? shape(uid, stored, query) : null;
    },
    async entryExists(uid, where, options) {
      enter('entryExists');
      return entries.some(
        (entry) =>
          entry.uid === uid &&
          ('id' in where ? entry.id === where.id : entry.documentId === where.documentId) &&
          (!options?.publishedOnly || isPublished(entry)),
      );
    },
    useDocumentMiddleware(middleware) {
      middlewares.push(middleware);
      return () => {
        if (middlewares.includes(middleware)) middlewares.splice(middlewares.indexOf(middleware), 1);
      };
    },
    async afterCommit(job) {
      if (openTransaction) openTransaction.push(job);
      else job();
    },
    databaseConnections: () => 4,
    subscribeLifecycles(models, handler) {
      const subscriber = { models, handler };
      lifecycleSubscribers.push(subscriber);
      return () => {
        if (lifecycleSubscribers.includes(subscriber)) lifecycleSubscribers.splice(lifecycleSubscribers.indexOf(subscriber), 1);
      };
    },

    async authenticate(token) {
      enter('authenticate');
      if (!token) {
        const role = roles.get(PUBLIC_ROLE)!;
        // Strapi refuses the Public role while it has no permission at all.
        if (role.actions.size === 0) return { ok: false, message: 'Missing or invalid credentials' };
        return { ok: true, auth: { strategy: USERS_PERMISSIONS, credentials: null, ability: abilityOf(role.actions) } };
      }
      const apiToken = [...apiTokens.values()].find((candidate) => candidate.accessKey === token);
      if (apiToken) {
        if (apiToken.expiresAt && Date.parse(apiToken.expiresAt) <= Date.now()) return { ok: false, message: 'Token expired' };
        return {
          ok: true,
          auth: { strategy: API_TOKEN, credentials: apiToken, ability: apiToken.type === 'custom' ? abilityOf(apiToken.permissions ?? []) : undefined },
        };
      }
      try {
        const claims = jwt.verify(token, JWT_SECRET) as { id: number };
        const user = users.get(claims.id);
        if (!user || user.blocked) return { ok: false, message: 'Invalid credentials' };
        return { ok: true, auth: userAuth(user) };
      } catch {
        return { ok: false, message: 'Invalid credentials' };
      }
    },
    async isAllowed(auth, scope) {
      enter('isAllowed');
      return isAllowed(auth, scope);
    },
    async generateAbility(actions) {
      enter('generateAbility');
      return abilityOf(actions);
    },
    async findPublicRole() {
      enter('findPublicRole');
      return { id: PUBLIC_ROLE, name: roles.get(PUBLIC_ROLE)!.name };
    },
    async rolePermissionActions(roleId) {
      enter('rolePermissionActions');
      return [...(roles.get(roleId)?.actions ?? [])];
    },
    async findUser(id) {
      enter('findUser');
      const user = users.get(id);
      return user ? { id: user.id, blocked: user.blocked } : null;
    },
    async findApiToken(id) {
      enter('findApiToken');
      return apiTokens.get(id) ?? null;
    },
    jwtSettings: () => ({ secret: JWT_SECRET, algorithm: 'HS256' }),
    async sanitizeOutput(uid, entry, auth) {
      enter('sanitizeOutput');
      if (fake.sanitizeFailsFor?.(uid, entry)) throw new Error(`sanitizer exploded on ${uid}`);
      // Without an audience: what the widest content-API view could show (private fields go, relations stay).
      return sanitize(uid, entry, auth);
    },

    async registerAdminActions() {},
    hasPlugin: () => false,
    pluginGraphqlExtensions: () => null,
    get httpServer(): never {
      throw new Error('the fake Strapi has no HTTP server');
    },
    addRoutes() {},
    config: <T>(_path: string, fallback?: T) => fallback as T,

    failNext(method, error = new Error(`${method} failed (injected)`)) {
      failures.set(method, [...(failures.get(method) ?? []), error]);
    },
    grant(roleId, actions) {
      roles.get(roleId)!.actions = new Set(actions);
      fake.lifecycle({ model: { uid: 'plugin::users-permissions.permission' }, action: 'afterCreate', params: { data: { role: roleId } } });
    },
    userToken(userId, roleId = AUTHENTICATED_ROLE, options = {}) {
      if (!users.has(userId)) users.set(userId, { id: userId, roleId, blocked: false });
      return jwt.sign({ id: userId }, JWT_SECRET, options.expiresInSeconds === undefined ? {} : { expiresIn: options.expiresInSeconds });
    },
    apiToken(id, type, permissions = []) {
      const accessKey = `api-token-key-${id}`;
      apiTokens.set(id, { id, name: `token ${id}`, type, permissions, accessKey, expiresAt: null });
      return accessKey;
    },
    documentCall(call, result) {
      const run = (index: number): Promise<unknown> =>
        index === middlewares.length ? Promise.resolve(result) : middlewares[index](call, () => run(index + 1));
      return run(0);
    },
    async transaction(work, outcome = 'commit') {
      const jobs: (() => void)[] = [];
      openTransaction = jobs;
      try {
        await work();
      } finally {
        openTransaction = null;
      }
      if (outcome === 'commit') for (const job of jobs) job();
    },
    lifecycle(event) {
      for (const { models: watched, handler } of [...lifecycleSubscribers]) if (watched.includes(event.model.uid)) handler(event);
    },
  };
  return fake;
};
