/** Who may see the Realtime page: the server registers this action (Super Admin has it). */
export const READ_PERMISSIONS = [{ action: 'plugin::realtime.read', subject: null }];
