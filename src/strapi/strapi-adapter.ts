import type { Server } from 'node:http';
import type { Core } from '@strapi/strapi';
import type { Entry, VersionStatus } from '../events/change-event';
import type { ContentModel } from '../schema/content-model';
import { createLog, type Log } from '../log';

/** The `ctx.state.auth` object Strapi's content-API auth produces; sanitizers and `verify` take it as is. */
export interface StrapiAuth {
  strategy: { name: string; verify?: (auth: StrapiAuth, config: { scope?: string | string[] }) => unknown };
  credentials: unknown;
  ability: unknown;
}

export type AuthenticationOutcome = { ok: true; auth: StrapiAuth } | { ok: false; message: string };

export interface DocumentQuery {
  documentId: string;
  locale?: string | null;
  status?: VersionStatus;
  fields?: string[];
  populate?: unknown;
}

/** One Document Service call as its middleware sees it. */
export interface DocumentCall {
  uid: string;
  action: string;
  params: unknown;
}

/** A database lifecycle event of the tables that decide who may read what. */
export interface LifecycleEvent {
  model: { uid: string };
  action: string;
  params?: { data?: Record<string, unknown>; where?: { id?: unknown } };
  result?: unknown;
}

export interface ApiTokenRecord {
  id: number;
  type: string;
  permissions?: string[];
}

/** @strapi/plugin-graphql's registry of the types it generated, as its schema extensions see it. */
export type TypeRegistry = { has(name: string): boolean };
/** @strapi/plugin-graphql's extension service (`use` it in register; it runs while building its schema). */
export type PluginGraphqlExtensions = { use(configuration: (context: { typeRegistry: TypeRegistry }) => object): unknown };

export interface RouteDefinition {
  method: string;
  path: string;
  handler: (ctx: any) => unknown;
}

/**
 * Everything the plugin asks of Strapi, typed, in one place. Strapi's own typings do not cover these calls (or
 * type them for generated app types the plugin cannot know), so the casts they need live here and nowhere else;
 * the rest of the plugin takes this interface, and its unit tests can give it a fake.
 */
export interface StrapiAdapter {
  readonly log: Log;
  /** A content type or component by uid. */
  getModel(uid: string): ContentModel | undefined;
  /** Uids of every content type of the app (api:: and plugin::). */
  contentTypeUids(): string[];
  /** One version of one document, through the Document Service (so `status` and `populate` mean what they mean in REST). */
  findDocument(uid: string, query: DocumentQuery): Promise<Entry | null>;
  /** Whether a row exists, by numeric id or documentId (`publishedOnly`: a published version of a draft & publish type). */
  entryExists(uid: string, where: { id: number } | { documentId: string }, options?: { publishedOnly?: boolean }): Promise<boolean>;
  /** Registers a Document Service middleware; returns the disposer. */
  useDocumentMiddleware(middleware: (call: DocumentCall, next: () => Promise<unknown>) => Promise<unknown>): () => void;
  /** Runs `job` once the surrounding transaction committed (and never if it rolls back), or now outside one. */
  afterCommit(job: () => void): Promise<void>;
  /** How many queries the database runs at once: its connection pool's size (1 for SQLite). */
  databaseConnections(): number;
  /** Database lifecycles (after create/update/delete, single and many) of the given models; returns the disposer. */
  subscribeLifecycles(models: readonly string[], handler: (event: LifecycleEvent) => void): () => void;

  /** Strapi's own content-API authentication (users-permissions JWT, API token, or the Public role), outside Koa. */
  authenticate(token: string | null): Promise<AuthenticationOutcome>;
  /** `strapi.get('auth').verify` as a boolean: true when the auth may use the scope. */
  isAllowed(auth: StrapiAuth, scope: string): Promise<boolean>;
  /** A CASL ability for these content-API actions (what Strapi builds for a role or a custom token). */
  generateAbility(actions: readonly string[]): Promise<unknown>;
  findPublicRole(): Promise<{ id: number; name: string } | null>;
  rolePermissionActions(roleId: number): Promise<string[]>;
  findUser(id: number): Promise<{ id: number; blocked: boolean | null } | null>;
  findApiToken(id: number): Promise<ApiTokenRecord | null>;
  /** users-permissions' JWT secret and algorithm, to tell an expired JWT from a forged one. */
  jwtSettings(): { secret: string | undefined; algorithm: string | undefined };
  /**
   * Strapi's content-API output sanitizer: private fields, passwords and admin users removed; with an audience's
   * auth, also the relations it may not `find`. Without auth: what the widest content-API view could show.
   */
  sanitizeOutput(uid: string, entry: Entry, auth: StrapiAuth | null): Promise<Entry>;

  /** Admin RBAC actions of the plugin (Strapi's permission action provider). */
  registerAdminActions(actions: readonly { section: string; displayName: string; uid: string; pluginName: string }[]): Promise<void>;

  /** Whether a plugin is enabled in this app. */
  hasPlugin(name: string): boolean;
  /** @strapi/plugin-graphql's extension service, or null without that plugin. */
  pluginGraphqlExtensions(): PluginGraphqlExtensions | null;

  readonly httpServer: Server;
  addRoutes(routes: readonly RouteDefinition[]): void;
  config<T>(path: string, fallback?: T): T;
}

type DocumentsApi = {
  (uid: string): { findOne(params: unknown): Promise<unknown> };
  use(middleware: unknown): unknown;
};

/** The adapter over a real Strapi instance. */
export const createStrapiAdapter = (strapi: Core.Strapi): StrapiAdapter => {
  const loose = strapi as unknown as {
    documents: DocumentsApi;
    db: {
      query(uid: string): {
        findOne(params: unknown): Promise<unknown>;
        findMany(params: unknown): Promise<unknown>;
      };
      inTransaction(): boolean;
      connection: { client: { pool?: { max?: number } } };
      transaction(callback: (trx: { onCommit(job: () => void): void }) => Promise<void>): Promise<void>;
      lifecycles: { subscribe(subscriber: unknown): unknown };
    };
    getModel(uid: string): unknown;
    contentTypes: Record<string, unknown>;
    contentAPI: {
      permissions: { engine: { generateAbility(permissions: { action: string }[]): Promise<unknown> } };
      sanitize: { output(entry: unknown, model: unknown, options: { auth?: StrapiAuth }): Promise<unknown> };
    };
    get(name: 'auth'): {
      authenticate(ctx: unknown, next: () => Promise<void>): Promise<unknown>;
      verify(auth: StrapiAuth, config: { scope: string[] }): Promise<void>;
    };
    service(uid: string): unknown;
    plugin(name: string): { service(name: string): unknown } | undefined;
    server: { httpServer: Server; routes(routes: unknown): void };
    config: { get(path: string, fallback?: unknown): unknown };
  };

  return {
    log: createLog(strapi.log),
    getModel: (uid) => loose.getModel(uid) as ContentModel | undefined,
    contentTypeUids: () => Object.keys(loose.contentTypes),

    async findDocument(uid, { locale, ...query }) {
      const found = await loose.documents(uid).findOne({ ...query, ...(locale ? { locale } : {}) });
      return (found as Entry | null) ?? null;
    },
    async entryExists(uid, where, options) {
      const published = options?.publishedOnly ? { publishedAt: { $notNull: true } } : {};
      return Boolean(await loose.db.query(uid).findOne({ where: { ...where, ...published }, select: ['id'] }));
    },
    useDocumentMiddleware(middleware) {
      const stop = loose.documents.use(middleware);
      return typeof stop === 'function' ? (stop as () => void) : () => undefined;
    },
    async afterCommit(job) {
      // A nested transaction joins the caller's: its onCommit runs after the outermost commit.
      if (loose.db.inTransaction()) await loose.db.transaction(async ({ onCommit }) => onCommit(job));
      else job();
    },
    databaseConnections: () => Math.max(1, loose.db.connection.client.pool?.max ?? 1),
    subscribeLifecycles(models, handler) {
      const subscriber = {
        models: [...models],
        afterCreate: handler,
        afterCreateMany: handler,
        afterUpdate: handler,
        afterUpdateMany: handler,
        afterDelete: handler,
        afterDeleteMany: handler,
      };
      const stop = loose.db.lifecycles.subscribe(subscriber);
      return typeof stop === 'function' ? (stop as () => void) : () => undefined;
    },

    async authenticate(token) {
      let failure: string | null = null;
      const ctx = {
        request: { header: token ? { authorization: `Bearer ${token}` } : {} },
        state: { route: { info: { type: 'content-api' } } } as { route: unknown; auth?: StrapiAuth },
        // Strategies report failures as strings or as errors (an expired API token gives an UnauthorizedError).
        unauthorized(message?: unknown) {
          failure = message instanceof Error ? message.message : typeof message === 'string' ? message : 'Unauthorized';
        },
      };
      await loose.get('auth').authenticate(ctx, async () => {});
      if (ctx.state.auth && failure === null) return { ok: true, auth: ctx.state.auth };
      return { ok: false, message: failure ?? 'Missing or invalid credentials' };
    },
    async isAllowed(auth, scope) {
      try {
        await loose.get('auth').verify(auth, { scope: [scope] });
        return true;
      } catch {
        return false;
      }
    },
    generateAbility: (actions) => loose.contentAPI.permissions.engine.generateAbility(actions.map((action) => ({ action }))),
    async findPublicRole() {
      const role = await loose.db.query('plugin::users-permissions.role').findOne({ where: { type: 'public' }, select: ['id', 'name'] });
      return (role as { id: number; name: string } | null) ?? null;
    },
    async rolePermissionActions(roleId) {
      const permissions = (await loose.db
        .query('plugin::users-permissions.permission')
        .findMany({ where: { role: { id: roleId } }, select: ['action'] })) as { action: string }[];
      return permissions.map(({ action }) => action);
    },
    async findUser(id) {
      const user = await loose.db.query('plugin::users-permissions.user').findOne({ where: { id }, select: ['id', 'blocked'] });
      return (user as { id: number; blocked: boolean | null } | null) ?? null;
    },
    async findApiToken(id) {
      const service = loose.service('admin::api-token-content-api') as { getById(id: number): Promise<ApiTokenRecord | null> };
      return service.getById(id);
    },
    jwtSettings: () => ({
      secret: loose.config.get('plugin::users-permissions.jwtSecret') as string | undefined,
      algorithm: (loose.config.get('plugin::users-permissions.jwt', {}) as { algorithm?: string }).algorithm,
    }),
    async sanitizeOutput(uid, entry, auth) {
      return (await loose.contentAPI.sanitize.output(entry, loose.getModel(uid), auth ? { auth } : {})) as Entry;
    },

    async registerAdminActions(actions) {
      const permissions = loose.service('admin::permission') as { actionProvider: { registerMany(actions: object[]): Promise<void> } };
      await permissions.actionProvider.registerMany([...actions]);
    },

    hasPlugin: (name) => Boolean(loose.plugin(name)),
    pluginGraphqlExtensions: () => (loose.plugin('graphql')?.service('extension') as PluginGraphqlExtensions | undefined) ?? null,

    get httpServer() {
      return loose.server.httpServer;
    },
    addRoutes: (routes) => loose.server.routes(routes.map((route) => ({ ...route, config: { auth: false } }))),
    config: <T>(path: string, fallback?: T) => loose.config.get(path, fallback) as T,
  };
};
