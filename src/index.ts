import { register } from './register';
import { bootstrap } from './bootstrap';
import { destroy } from './destroy';
import { pluginConfig } from './config';
import { realtimeService } from './services/realtime';

export default {
  register,
  bootstrap,
  destroy,
  config: pluginConfig,
  services: {
    realtime: realtimeService,
  },
};
