/**
 * The permission + sanitize pipeline against the fake Strapi: what each audience may read, what leaves, what it
 * costs (memoized per event and audience, one re-check per credential), and that every failure fails closed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AuthError } from '../../src/pipeline/auth-error';
import { ARTICLE, CATEGORY } from './fakes/content-models';
import { AUTHENTICATED_ROLE, EDITOR_ROLE, PUBLIC_ROLE } from './fakes/fake-strapi';
import { changeEvent, createRealtimeFixture, type RealtimeFixture } from './fakes/realtime-fixture';

const READ_ALL = [`${ARTICLE}.find`, `${ARTICLE}.findOne`, `${CATEGORY}.find`, `${CATEGORY}.findOne`];

let fixture: RealtimeFixture;
const setup = (config: unknown = {}) => {
  fixture = createRealtimeFixture(config);
  return fixture;
};
afterEach(() => fixture?.dispose());

describe('prepare: the payload of an event for one audience', () => {
  it('is sanitized: private fields and the sensitive blocklist never leave', async () => {
    const { strapi, pipeline } = setup({ sensitiveFields: ['summary'] });
    strapi.grant(PUBLIC_ROLE, READ_ALL);
    const payload = await pipeline.prepare(changeEvent(), `role:${PUBLIC_ROLE}`);
    expect(payload).toMatchObject({ documentId: 'article-1', title: 'Hello', category: { name: 'News' } });
    expect(payload).not.toHaveProperty('internalNotes');
    expect(payload).not.toHaveProperty('summary');
    expect(payload?.category).not.toHaveProperty('secretCode');
  });

  it('is computed once per (event, audience) and shared by every caller', async () => {
    const { strapi, pipeline } = setup();
    strapi.grant(PUBLIC_ROLE, READ_ALL);
    strapi.grant(AUTHENTICATED_ROLE, READ_ALL);
    const event = changeEvent();
    const first = pipeline.prepare(event, `role:${PUBLIC_ROLE}`);
    expect(pipeline.prepare(event, `role:${PUBLIC_ROLE}`)).toBe(first);
    await first;
    expect(pipeline.stats.sanitizeCalls).toBe(1);
    await pipeline.prepare(event, `role:${AUTHENTICATED_ROLE}`);
    await pipeline.prepare(changeEvent(), `role:${PUBLIC_ROLE}`);
    expect(pipeline.stats.sanitizeCalls).toBe(3);
    expect(strapi.calls.sanitizeOutput).toBe(3);
  });

  it('is null for an audience without read permission, and sanitizes nothing for it', async () => {
    const { strapi, pipeline } = setup();
    strapi.grant(PUBLIC_ROLE, [`${CATEGORY}.find`, `${ARTICLE}.create`]);
    expect(await pipeline.prepare(changeEvent(), `role:${PUBLIC_ROLE}`)).toBeNull();
    expect(strapi.calls.sanitizeOutput ?? 0).toBe(0);
  });

  it('sends only the reference of a deletion, without sanitizing', async () => {
    const { strapi, pipeline } = setup();
    strapi.grant(PUBLIC_ROLE, [`${ARTICLE}.findOne`]);
    const payload = await pipeline.prepare(changeEvent({ action: 'deleted', entry: null }), `role:${PUBLIC_ROLE}`);
    expect(payload).toEqual({ documentId: 'article-1', locale: 'en' });
    expect(strapi.calls.sanitizeOutput ?? 0).toBe(0);
  });

  it('fails closed when the sanitizer throws: null for that audience, counted and logged, other audiences unaffected', async () => {
    const { strapi, pipeline } = setup();
    strapi.grant(PUBLIC_ROLE, READ_ALL);
    strapi.grant(AUTHENTICATED_ROLE, READ_ALL);
    const event = changeEvent();
    let failures = 1;
    strapi.sanitizeFailsFor = () => failures-- > 0;
    expect(await pipeline.prepare(event, `role:${PUBLIC_ROLE}`)).toBeNull();
    expect(pipeline.stats.sanitizeFailures).toBe(1);
    const logged = strapi.logs.filter((line) => line.level === 'error');
    expect(logged.map((line) => line.message)).toEqual([expect.stringMatching(/^\[realtime\] sanitizing api::article\.article for role:1 failed, nothing sent: Error: sanitizer exploded/)]);
    expect(JSON.stringify(logged)).not.toContain('never leaves');
    expect(await pipeline.prepare(event, `role:${AUTHENTICATED_ROLE}`)).toMatchObject({ title: 'Hello' });
  });
});

describe('canRead and canFind', () => {
  it('canRead accepts find or findOne; canFind (relations) needs find', async () => {
    const { strapi, pipeline } = setup();
    strapi.grant(PUBLIC_ROLE, [`${ARTICLE}.findOne`, `${CATEGORY}.findOne`]);
    expect(await pipeline.canRead(`role:${PUBLIC_ROLE}`, ARTICLE)).toBe(true);
    expect(await pipeline.canFind(`role:${PUBLIC_ROLE}`, ARTICLE)).toBe(false);
    // Strapi's own rule for relations: `findOne` on the target is not enough, so the category is dropped.
    const payload = await pipeline.prepare(changeEvent(), `role:${PUBLIC_ROLE}`);
    expect(payload).toMatchObject({ title: 'Hello' });
    expect(payload).not.toHaveProperty('category');
  });

  it('write permissions are neither needed nor enough', async () => {
    const { strapi, pipeline } = setup();
    strapi.grant(PUBLIC_ROLE, [`${ARTICLE}.create`, `${ARTICLE}.update`, `${ARTICLE}.delete`]);
    expect(await pipeline.canRead(`role:${PUBLIC_ROLE}`, ARTICLE)).toBe(false);
  });

  it('drafts need config.drafts and read permission', async () => {
    const withDrafts = setup();
    withDrafts.strapi.grant(PUBLIC_ROLE, [`${ARTICLE}.find`]);
    expect(await withDrafts.pipeline.canReadDrafts(`role:${PUBLIC_ROLE}`, ARTICLE)).toBe(true);
    expect(await withDrafts.pipeline.canReadDrafts(`role:${PUBLIC_ROLE}`, CATEGORY)).toBe(false);
    withDrafts.dispose();
    const without = setup({ drafts: false });
    without.strapi.grant(PUBLIC_ROLE, [`${ARTICLE}.find`]);
    expect(await without.pipeline.canReadDrafts(`role:${PUBLIC_ROLE}`, ARTICLE)).toBe(false);
  });

  it('API tokens: read-only reads, custom reads what it lists, full-access reads everything', async () => {
    const { strapi, pipeline } = setup();
    const audience = async (key: string) => (await pipeline.resolvePrincipal(key)).audienceKey;
    const readOnly = await audience(strapi.apiToken(10, 'read-only'));
    const custom = await audience(strapi.apiToken(11, 'custom', [`${CATEGORY}.find`]));
    const full = await audience(strapi.apiToken(12, 'full-access'));
    expect(readOnly).toBe('api-token:10');
    expect(await pipeline.canRead(readOnly, ARTICLE)).toBe(true);
    expect(await pipeline.canRead(custom, ARTICLE)).toBe(false);
    expect(await pipeline.canRead(custom, CATEGORY)).toBe(true);
    expect(await pipeline.canFind(full, ARTICLE)).toBe(true);
  });
});

describe('principals', () => {
  it('resolves the Public role, users (Bearer or bare) and refuses what Strapi refuses, with the reason', async () => {
    const { strapi, pipeline } = setup();
    expect(await pipeline.resolvePrincipal(null)).toMatchObject({ kind: 'public', audienceKey: `role:${PUBLIC_ROLE}`, credential: null });
    const token = strapi.userToken(5, EDITOR_ROLE);
    expect(await pipeline.resolvePrincipal(`Bearer ${token}`)).toMatchObject({ kind: 'user', audienceKey: `role:${EDITOR_ROLE}`, user: { id: 5 }, credential: token });
    await expect(pipeline.resolvePrincipal('garbage')).rejects.toMatchObject({ code: 'INVALID_TOKEN' });
    await expect(pipeline.resolvePrincipal('two words')).rejects.toMatchObject({ code: 'INVALID_TOKEN' });
    strapi.users.get(5)!.blocked = true;
    await expect(pipeline.resolvePrincipal(token)).rejects.toMatchObject({ code: 'USER_BLOCKED' });
    expect(pipeline.stats.principalsRejected).toBe(3);
  });

  it('tells an expired JWT from a forged one', async () => {
    const { strapi, pipeline } = setup();
    const expired = strapi.userToken(6, AUTHENTICATED_ROLE, { expiresInSeconds: -10 });
    await expect(pipeline.resolvePrincipal(expired)).rejects.toMatchObject({ code: 'TOKEN_EXPIRED' });
    const forged = `${expired.split('.').slice(0, 2).join('.')}.c2lnbmF0dXJl`;
    await expect(pipeline.resolvePrincipal(forged)).rejects.toMatchObject({ code: 'INVALID_TOKEN' });
  });

  it('asks Strapi once for every anonymous connection, until roles change', async () => {
    const { strapi, pipeline } = setup();
    await Promise.all([pipeline.resolvePrincipal(null), pipeline.resolvePrincipal(undefined), pipeline.resolvePrincipal('  ')]);
    expect(strapi.calls.authenticate).toBe(1);
    strapi.lifecycle({ model: { uid: 'plugin::users-permissions.permission' }, action: 'afterCreate', result: { id: 1 } });
    await pipeline.resolvePrincipal(null);
    expect(strapi.calls.authenticate).toBe(2);
  });
});

describe('recheck after a change of users or tokens', () => {
  const holdersOf = async (fixture: RealtimeFixture, credentials: (string | null)[]) =>
    Promise.all(credentials.map(async (credential, index) => ({ name: `connection ${index}`, principal: await fixture.pipeline.resolvePrincipal(credential) })));

  it('resolves each affected credential once, however many connections hold it, and refuses the revoked', async () => {
    const fixture = setup();
    const { strapi, pipeline } = fixture;
    const alice = strapi.userToken(1);
    const bob = strapi.userToken(2);
    const holders = await holdersOf(fixture, [alice, alice, alice, bob, null]);
    strapi.users.get(1)!.blocked = true;
    const before = strapi.calls.authenticate ?? 0;

    const rechecks = await pipeline.recheck({ kind: 'user', userId: null }, holders, (holder) => holder.principal);
    expect(strapi.calls.authenticate! - before).toBe(2);
    expect(rechecks).toHaveLength(2);
    const [aliceRecheck, bobRecheck] = rechecks;
    expect(aliceRecheck.holders.map((holder) => holder.name)).toEqual(['connection 0', 'connection 1', 'connection 2']);
    expect(aliceRecheck.error).toBeInstanceOf(AuthError);
    expect(aliceRecheck.error).toMatchObject({ code: 'USER_BLOCKED' });
    expect(bobRecheck).toMatchObject({ holders: [{ name: 'connection 3' }], principal: { user: { id: 2 } } });
  });

  it('touches only the principals the change names', async () => {
    const fixture = setup();
    const { strapi, pipeline } = fixture;
    const holders = await holdersOf(fixture, [strapi.userToken(1), strapi.userToken(2), strapi.apiToken(9, 'read-only'), null]);
    const forUser2 = await pipeline.recheck({ kind: 'user', userId: 2 }, holders, (holder) => holder.principal);
    expect(forUser2.flatMap((recheck) => recheck.holders.map((holder) => holder.name))).toEqual(['connection 1']);
    const forToken9 = await pipeline.recheck({ kind: 'api-token', tokenId: 9 }, holders, (holder) => holder.principal);
    expect(forToken9.flatMap((recheck) => recheck.holders.map((holder) => holder.name))).toEqual(['connection 2']);
    // Role changes alter what audiences may read, not who a connection is: nobody is re-resolved.
    expect(await pipeline.recheck({ kind: 'roles' }, holders, (holder) => holder.principal)).toEqual([]);
  });

  it('tells transports about permission changes from database lifecycles, skipping Strapi bookkeeping writes', async () => {
    const { strapi, pipeline } = setup();
    const changes: unknown[] = [];
    pipeline.onPermissionChange((change) => changes.push(change));
    strapi.lifecycle({ model: { uid: 'plugin::users-permissions.user' }, action: 'afterUpdate', params: { data: { blocked: true } }, result: { id: 4 } });
    strapi.lifecycle({ model: { uid: 'admin::api-token' }, action: 'afterUpdate', params: { data: { lastUsedAt: 'now' } }, result: { id: 3 } });
    strapi.lifecycle({ model: { uid: 'admin::api-token' }, action: 'afterDelete', result: { id: 3 } });
    strapi.lifecycle({ model: { uid: 'plugin::users-permissions.user' }, action: 'afterDeleteMany', params: { where: {} } });
    await new Promise((resolve) => setImmediate(resolve));
    expect(changes).toEqual([
      { kind: 'user', userId: 4 },
      { kind: 'api-token', tokenId: 3 },
      { kind: 'user', userId: null },
    ]);
  });

  it('a listener that fails is logged, never an unhandled rejection', async () => {
    const { strapi, pipeline } = setup();
    pipeline.onPermissionChange(() => Promise.reject(new Error('listener broke')));
    strapi.lifecycle({ model: { uid: 'plugin::users-permissions.role' }, action: 'afterUpdate', params: { data: { name: 'x' } } });
    await new Promise((resolve) => setImmediate(resolve));
    expect(strapi.logs.map((line) => line.message)).toEqual([expect.stringContaining('re-checking live connections after a permission change failed: Error: listener broke')]);
  });
});
