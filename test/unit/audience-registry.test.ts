/**
 * Per-audience authorization state: computed once, invalidated when what it depends on changes, and a failure
 * to compute it (the database briefly away) refuses for now without sticking as "no access".
 */
import { describe, expect, it } from 'vitest';
import { createAudienceRegistry } from '../../src/pipeline/audience-registry';
import { createPipelineStats } from '../../src/pipeline/pipeline-stats';
import { ARTICLE, CATEGORY } from './fakes/content-models';
import { AUTHENTICATED_ROLE, EDITOR_ROLE, PUBLIC_ROLE, createFakeStrapi } from './fakes/fake-strapi';

const setup = () => {
  const strapi = createFakeStrapi();
  const stats = createPipelineStats();
  const audiences = createAudienceRegistry(strapi, stats);
  return { strapi, stats, audiences };
};

/** The registry learns Strapi's users-permissions strategy from an authentication, as it does in the app. */
const learnStrategy = async ({ strapi, audiences }: ReturnType<typeof setup>) => {
  const outcome = await strapi.authenticate(strapi.userToken(99, EDITOR_ROLE));
  if (!outcome.ok) throw new Error(outcome.message);
  audiences.remember(`role:${EDITOR_ROLE}`, outcome.auth);
};

describe('audience registry', () => {
  it('answers each question once per audience and content type', async () => {
    const registry = setup();
    const { strapi, stats, audiences } = registry;
    strapi.grant(AUTHENTICATED_ROLE, [`${ARTICLE}.find`]);
    strapi.grant(PUBLIC_ROLE, [`${ARTICLE}.find`]);
    await learnStrategy(registry);

    const role = `role:${AUTHENTICATED_ROLE}`;
    expect(await Promise.all([audiences.canRead(role, ARTICLE), audiences.canRead(role, ARTICLE)])).toEqual([true, true]);
    expect(await audiences.canRead(role, CATEGORY)).toBe(false);
    expect(strapi.calls.rolePermissionActions).toBe(1);
    expect(stats).toMatchObject({ authorizationCacheMisses: 2, authorizationCacheHits: 1 });
  });

  it('uses the auth an authentication produced without asking the database again', async () => {
    const registry = setup();
    registry.strapi.grant(EDITOR_ROLE, [`${ARTICLE}.find`]);
    await learnStrategy(registry);
    expect(await registry.audiences.canRead(`role:${EDITOR_ROLE}`, ARTICLE)).toBe(true);
    expect(registry.strapi.calls.rolePermissionActions ?? 0).toBe(0);
  });

  it('does not cache a transient failure as "no access": it refuses now and asks again next time', async () => {
    const registry = setup();
    const { strapi, audiences } = registry;
    strapi.grant(AUTHENTICATED_ROLE, [`${ARTICLE}.find`]);
    await learnStrategy(registry);
    strapi.failNext('rolePermissionActions', new Error('connection reset'));

    const role = `role:${AUTHENTICATED_ROLE}`;
    expect(await audiences.canRead(role, ARTICLE)).toBe(false);
    await expect(audiences.authFor(role)).resolves.toMatchObject({ strategy: { name: 'users-permissions' } });
    expect(await audiences.canRead(role, ARTICLE)).toBe(true);
    expect(strapi.calls.rolePermissionActions).toBe(2);
    expect(strapi.logs.map((line) => line.message)).toEqual([expect.stringContaining(`computing permissions of ${role} failed: Error: connection reset`)]);
  });

  it('does not cache a failed permission check either', async () => {
    const registry = setup();
    const { strapi, audiences } = registry;
    strapi.grant(PUBLIC_ROLE, [`${ARTICLE}.find`]);
    await learnStrategy(registry);
    strapi.failNext('isAllowed');
    expect(await audiences.canRead(`role:${PUBLIC_ROLE}`, ARTICLE)).toBe(false);
    expect(await audiences.canRead(`role:${PUBLIC_ROLE}`, ARTICLE)).toBe(true);
  });

  it('forgets what it computed for the audiences a prefix names, and only those', async () => {
    const registry = setup();
    const { strapi, audiences } = registry;
    strapi.grant(AUTHENTICATED_ROLE, [`${ARTICLE}.find`]);
    await learnStrategy(registry);
    const first = await strapi.authenticate(strapi.apiToken(7, 'read-only'));
    const second = await strapi.authenticate(strapi.apiToken(8, 'read-only'));
    if (!first.ok || !second.ok) throw new Error('tokens refused');
    audiences.remember('api-token:7', first.auth);
    audiences.remember('api-token:8', second.auth);

    expect(await audiences.canRead('api-token:7', ARTICLE)).toBe(true);
    expect(await audiences.canRead('api-token:8', ARTICLE)).toBe(true);
    expect(await audiences.canRead(`role:${AUTHENTICATED_ROLE}`, ARTICLE)).toBe(true);

    // Token 7 revoked (deleted): its audience is recomputed from the database and may read nothing.
    strapi.apiTokens.delete(7);
    audiences.invalidate('api-token:7');
    expect(await audiences.canRead('api-token:7', ARTICLE)).toBe(false);
    expect(await audiences.canRead('api-token:8', ARTICLE)).toBe(true);
    expect(strapi.calls.findApiToken).toBe(1);

    // A role lost a permission: every role audience is recomputed.
    strapi.grant(AUTHENTICATED_ROLE, []);
    expect(await audiences.canRead(`role:${AUTHENTICATED_ROLE}`, ARTICLE)).toBe(true);
    audiences.invalidate('role:');
    expect(await audiences.canRead(`role:${AUTHENTICATED_ROLE}`, ARTICLE)).toBe(false);
  });

  it('a role without permissions and an unknown audience may read nothing', async () => {
    const registry = setup();
    await learnStrategy(registry);
    expect(await registry.audiences.canRead(`role:${AUTHENTICATED_ROLE}`, ARTICLE)).toBe(false);
    expect(await registry.audiences.canRead('someone:else', ARTICLE)).toBe(false);
  });

  it('learns the users-permissions strategy from Strapi when the Public role gets its first permission', async () => {
    const { strapi, audiences } = setup();
    // Nothing remembered yet (no authentication succeeded while Public had no permission).
    strapi.grant(PUBLIC_ROLE, [`${ARTICLE}.find`]);
    expect(await audiences.canRead(`role:${PUBLIC_ROLE}`, ARTICLE)).toBe(true);
    expect(strapi.calls.authenticate).toBe(1);
  });
});
