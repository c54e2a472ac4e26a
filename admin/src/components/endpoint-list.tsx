import { Flex, Typography } from '@strapi/design-system';
import type { DashboardOverview } from '../api-types';
import { useTranslate, type TranslationKey } from '../use-translate';

type EndpointName = keyof DashboardOverview['endpoints'];
const ORDER: EndpointName[] = ['graphqlWs', 'graphqlSse', 'graphiql', 'sdl', 'socketIo', 'metrics'];

/** The server's base URL as the admin talks to it (`window.strapi.backendURL`, else this page's origin). */
const backendUrl = () => {
  const configured = (window as unknown as { strapi?: { backendURL?: string } }).strapi?.backendURL;
  return new URL(configured || window.location.origin, window.location.origin);
};

/** Where clients connect: full URLs on this server (ws:// for the WebSocket endpoint). */
export const EndpointList = ({ endpoints }: { endpoints: DashboardOverview['endpoints'] }) => {
  const t = useTranslate();
  const base = backendUrl();
  const urlOf = (name: EndpointName, path: string) => {
    if (name === 'socketIo') return `${base.origin} (path ${path})`;
    const url = new URL(path, base);
    if (name === 'graphqlWs') url.protocol = base.protocol === 'https:' ? 'wss:' : 'ws:';
    return url.toString();
  };
  return (
    <Flex direction="column" alignItems="stretch" gap={2} tag="dl">
      {ORDER.filter((name) => endpoints[name]).map((name) => (
        <Flex key={name} gap={4} justifyContent="space-between" wrap="wrap">
          <Typography tag="dt" textColor="neutral600">
            {t(`endpoints.${name}` as TranslationKey)}
          </Typography>
          <Typography tag="dd" style={{ fontFamily: 'monospace' }} data-testid={`endpoint-${name}`}>
            {urlOf(name, endpoints[name]!)}
          </Typography>
        </Flex>
      ))}
    </Flex>
  );
};
