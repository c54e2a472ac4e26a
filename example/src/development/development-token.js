'use strict';

const { isDevelopment } = require('./is-development');

/** Found by this name on later boots; the admin panel lists it under Settings > API Tokens. */
const TOKEN_NAME = 'Realtime example (development only)';

const tokenService = (strapi) => strapi.service('admin::api-token');

/** Access keys created during this process: Strapi returns the plain key once, from `create`. */
const createdKeys = new WeakMap();

/**
 * A full-access API token so a newcomer can write content (and see events) in one copy-paste. Created only by the
 * seed of a fresh database, only in development; the caller guarantees the first, this function the second.
 */
const createDevelopmentToken = async (strapi) => {
  if (!isDevelopment()) return null;
  const { accessKey } = await tokenService(strapi).create({
    name: TOKEN_NAME,
    description: 'Created by the example seed on a fresh development database. Never use it outside development.',
    type: 'full-access',
    // The 30-day maximum of Strapi's choices short of unlimited: a forgotten development database does not keep a
    // full-access key forever. After that, `npm start` says how to get a new one.
    lifespan: 30 * 24 * 60 * 60 * 1000,
  });
  createdKeys.set(strapi, accessKey);
  return accessKey;
};

/**
 * The development token's access key: the one created by this boot, or the stored one (Strapi keeps it encrypted
 * with `admin.secrets.encryptionKey`, as the admin panel shows it again). `null` outside development, when there is
 * none, when it expired, or when it cannot be decrypted.
 */
const readDevelopmentToken = async (strapi) => {
  if (!isDevelopment()) return null;
  if (createdKeys.has(strapi)) return createdKeys.get(strapi);
  let token;
  try {
    token = await tokenService(strapi).getByName(TOKEN_NAME, { includeDecryptedKey: true });
  } catch {
    return null; // encrypted with another key: the admin panel can regenerate it
  }
  if (!token || !token.accessKey) return null;
  if (token.expiresAt && new Date(token.expiresAt).getTime() <= Date.now()) return null;
  return token.accessKey;
};

/** Whether the database holds the development token (used to warn when it reaches a production boot). */
const hasDevelopmentToken = async (strapi) => Boolean(await tokenService(strapi).getByName(TOKEN_NAME));

module.exports = { TOKEN_NAME, createDevelopmentToken, readDevelopmentToken, hasDevelopmentToken };
