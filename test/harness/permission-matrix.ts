/**
 * The permission matrix every transport runs (one table, every transport): who connects, whether it is
 * refused, whether it receives article events, and what the payload may contain.
 */
import type { ExampleApp } from './example-app';
import type { AuthErrorCode } from '../../src/pipeline/auth-error';
import {
  blockUser,
  createApiToken,
  createRole,
  expireApiToken,
  grant,
  issueJwt,
  registerUser,
  revoke,
} from './principals';

export const ARTICLE = 'api::article.article';
export const READ_ARTICLES = [`${ARTICLE}.find`, `${ARTICLE}.findOne`];
export const READ_EVERYTHING = [
  ...READ_ARTICLES,
  'api::category.category.find',
  'api::tag.tag.find',
  'plugin::users-permissions.user.find',
];

export interface MatrixExpectation {
  /** Refused at connect time, with this code. */
  refused?: AuthErrorCode;
  /** Receives published article events. */
  receives?: boolean;
  /** The `author` relation (a users-permissions user) is present (its private fields never are). */
  seesAuthor?: boolean;
  /** The `category` relation is present. */
  seesCategory?: boolean;
}

export interface MatrixRow extends MatrixExpectation {
  name: string;
  /** Puts the app in the row's state and returns the credential to connect with (`null` = anonymous). */
  prepare(app: ExampleApp): Promise<string | null>;
}

/** Every row starts from a Public role without any permission. */
export const resetPublicRole = async (app: ExampleApp) => {
  await revoke(app.strapi, 'public', READ_EVERYTHING);
};

export const PERMISSION_MATRIX: MatrixRow[] = [
  {
    name: 'Public without find',
    receives: false,
    prepare: async () => null,
  },
  {
    name: 'Public with find on articles only',
    receives: true,
    seesAuthor: false,
    seesCategory: false,
    prepare: async (app) => {
      await grant(app.strapi, 'public', READ_ARTICLES);
      return null;
    },
  },
  {
    name: 'Authenticated role with find on everything',
    receives: true,
    seesAuthor: true,
    seesCategory: true,
    prepare: async (app) => {
      await grant(app.strapi, 'authenticated', READ_EVERYTHING);
      return (await registerUser(app)).jwt;
    },
  },
  {
    name: 'custom role with find on articles and categories',
    receives: true,
    seesAuthor: false,
    seesCategory: true,
    prepare: async (app) => {
      const role = await createRole(app.strapi, 'Reader', [...READ_ARTICLES, 'api::category.category.find']);
      return (await registerUser(app, { roleId: role.id })).jwt;
    },
  },
  {
    name: 'custom role with write permissions only (create/update/delete)',
    receives: false,
    prepare: async (app) => {
      const role = await createRole(app.strapi, 'Writer', [`${ARTICLE}.create`, `${ARTICLE}.update`, `${ARTICLE}.delete`]);
      return (await registerUser(app, { roleId: role.id })).jwt;
    },
  },
  {
    name: 'API token read-only',
    receives: true,
    seesAuthor: true,
    seesCategory: true,
    prepare: async (app) => (await createApiToken(app.strapi, 'read-only')).accessKey,
  },
  {
    name: 'API token full-access',
    receives: true,
    seesAuthor: true,
    seesCategory: true,
    prepare: async (app) => (await createApiToken(app.strapi, 'full-access')).accessKey,
  },
  {
    name: 'API token custom with find on articles',
    receives: true,
    seesAuthor: false,
    seesCategory: false,
    prepare: async (app) => (await createApiToken(app.strapi, 'custom', READ_ARTICLES)).accessKey,
  },
  {
    name: 'API token custom without find (create only)',
    receives: false,
    prepare: async (app) => (await createApiToken(app.strapi, 'custom', [`${ARTICLE}.create`])).accessKey,
  },
  {
    name: 'API token expired',
    refused: 'TOKEN_EXPIRED',
    prepare: async (app) => {
      const token = await createApiToken(app.strapi, 'full-access');
      await expireApiToken(app.strapi, token.id);
      return token.accessKey;
    },
  },
  {
    name: 'blocked user',
    refused: 'USER_BLOCKED',
    prepare: async (app) => {
      await grant(app.strapi, 'authenticated', READ_ARTICLES);
      const user = await registerUser(app);
      await blockUser(app.strapi, user.id);
      return user.jwt;
    },
  },
  {
    name: 'expired JWT',
    refused: 'TOKEN_EXPIRED',
    prepare: async (app) => {
      const user = await registerUser(app);
      return issueJwt(app.strapi, user.id, -10);
    },
  },
  {
    name: 'garbage token',
    refused: 'INVALID_TOKEN',
    prepare: async () => 'not-a-token',
  },
];

/** Content every row's article event carries: a private field, a category and an author. */
export const createMatrixFixtures = async (app: ExampleApp) => {
  const documents = (uid: string) => app.strapi.documents(uid as never) as any;
  const category = await documents('api::category.category').create({ data: { name: 'Matrix' } });
  const author = await registerUser(app);
  return {
    /** Publishes an article with a private note, the category and the author; returns its documentId. */
    async publishArticle(title: string) {
      const article = await documents(ARTICLE).create({
        data: { title, internalNotes: 'PRIVATE-NOTE', category: category.documentId, author: author.id, seo: { metaTitle: title } },
        status: 'published',
      });
      return article.documentId as string;
    },
    /** Creates a draft only (must never reach a published-view subscriber). */
    async createDraft(title: string) {
      const article = await documents(ARTICLE).create({ data: { title, internalNotes: 'PRIVATE-NOTE' } });
      return article.documentId as string;
    },
  };
};

/** Asserts nothing private is in a delivered payload, whatever its transport-specific shape. */
export const findLeaks = (payload: unknown): string[] => {
  const text = JSON.stringify(payload);
  const leaks: string[] = [];
  for (const marker of ['PRIVATE-NOTE', 'internalNotes', 'password', 'resetPasswordToken', 'confirmationToken']) {
    if (text.includes(marker)) leaks.push(marker);
  }
  return leaks;
};
