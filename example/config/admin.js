'use strict';

// Development-only defaults so the example boots on a fresh clone; override them through the environment.
module.exports = ({ env }) => ({
  auth: { secret: env('ADMIN_JWT_SECRET', 'realtime-example-admin-jwt-secret') },
  apiToken: { salt: env('API_TOKEN_SALT', 'realtime-example-api-token-salt') },
  transfer: { token: { salt: env('TRANSFER_TOKEN_SALT', 'realtime-example-transfer-token-salt') } },
  secrets: { encryptionKey: env('ENCRYPTION_KEY', 'realtime-example-encryption-key') },
});
