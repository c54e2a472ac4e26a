import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { camelCase, subscriptionFieldName, typeName } from '../../src/names/graphql-names';
import { entityRoomName, parseEntityRoomName, socketEventName } from '../../src/names/socket-io-names';

const lodash = createRequire(import.meta.url)('lodash') as { camelCase(text: string): string };

describe('names', () => {
  it.each(['article', 'blog-post', 'users-permissions', 'i18n', 'content_releases', 'homePage', 'API token', 'v2-item3'])(
    'camelCase(%s) matches lodash (what @strapi/plugin-graphql uses)',
    (text) => expect(camelCase(text)).toBe(lodash.camelCase(text)),
  );

  it('builds type names like @strapi/plugin-graphql v5', () => {
    expect(typeName({ uid: 'api::article.article', info: { singularName: 'article' } })).toBe('Article');
    expect(typeName({ uid: 'api::blog-post.blog-post', info: { singularName: 'blog-post' } })).toBe('BlogPost');
    expect(typeName({ uid: 'plugin::users-permissions.user', plugin: 'users-permissions', info: { singularName: 'user' } })).toBe('UsersPermissionsUser');
    expect(typeName({ uid: 'plugin::upload.file', plugin: 'upload', info: { singularName: 'file' } })).toBe('UploadFile');
    expect(typeName({ uid: 'shared.seo', modelType: 'component', globalId: 'ComponentSharedSeo' })).toBe('ComponentSharedSeo');
  });

  it('builds subscription fields, Socket.IO events and rooms', () => {
    const article = { uid: 'api::article.article', info: { singularName: 'article' } };
    expect(subscriptionFieldName(article, 'created')).toBe('articleCreated');
    expect(subscriptionFieldName(article, 'draftDiscarded')).toBe('articleDraftDiscarded');
    expect(socketEventName('article', 'create')).toBe('article:create');
    expect(entityRoomName('api::article.article', 12)).toBe('api::article.article:12');
    expect(parseEntityRoomName('api::article.article:abc:def')).toEqual({ uid: 'api::article.article', id: 'abc:def' });
    expect(parseEntityRoomName('Public')).toBeNull();
  });
});
