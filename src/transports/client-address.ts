import { BlockList, isIP } from 'node:net';
import type { IncomingHttpHeaders } from 'node:http';
import type { StrapiAdapter } from '../strapi/strapi-adapter';

/** `::ffff:10.1.2.3` (IPv4 on a dual-stack socket) is the IPv4 address `10.1.2.3` for matching. */
const normalize = (address: string): string => {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1] : address;
};

/** Config rules (`10.0.0.0/8`, `::1`, ...) as a node BlockList; rules were checked when the config was read. */
const toBlockList = (rules: readonly string[]): BlockList | null => {
  if (rules.length === 0) return null;
  const list = new BlockList();
  for (const rule of rules) {
    const [address, prefix] = rule.split('/');
    const plain = normalize(address);
    const type = isIP(plain) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(plain, type);
    else list.addSubnet(plain, Number(prefix), type);
  }
  return list;
};

const matches = (list: BlockList, address: string) => {
  const plain = normalize(address);
  const version = isIP(plain);
  return version !== 0 && list.check(plain, version === 6 ? 'ipv6' : 'ipv4');
};

type ProxyConfig = boolean | { koa?: boolean; ipHeader?: string; maxIpsCount?: number } | undefined;

/**
 * The client's address as Koa computes `ctx.ip`: the socket's peer, or, only when Strapi's `server.proxy`
 * is on (v5 `{ koa: true }`, v4 `true`), the first address of the proxy header (X-Forwarded-For by default).
 * Read per handshake, so a config change applies to the next connection.
 */
export const clientAddress = (strapi: Pick<StrapiAdapter, 'config'>, peer: string, headers: IncomingHttpHeaders): string => {
  const proxy = strapi.config<ProxyConfig>('server.proxy');
  const trusted = proxy === true || (typeof proxy === 'object' && proxy !== null && proxy.koa === true);
  if (!trusted) return peer;
  const options = typeof proxy === 'object' && proxy !== null ? proxy : {};
  const raw = headers[(options.ipHeader ?? 'X-Forwarded-For').toLowerCase()];
  const value = Array.isArray(raw) ? raw.join(',') : raw;
  if (!value) return peer;
  let addresses = value.split(/\s*,\s*/).filter(Boolean);
  if (options.maxIpsCount && options.maxIpsCount > 0) addresses = addresses.slice(-options.maxIpsCount);
  return addresses[0] ?? peer;
};

export type IpRefusal = { message: string; code: 'IP_NOT_ALLOWED' | 'IP_DENIED' };

/**
 * Allow list (when set, only matching addresses pass) then deny list; addresses and CIDR blocks, IPv4 and
 * IPv6. Messages are plugin-io's (`IP not whitelisted`, `IP blacklisted`).
 */
export const createIpFilter = (allow: readonly string[], deny: readonly string[]) => {
  const allowList = toBlockList(allow);
  const denyList = toBlockList(deny);
  return (address: string): IpRefusal | null => {
    if (allowList && !matches(allowList, address)) return { message: 'IP not whitelisted', code: 'IP_NOT_ALLOWED' };
    if (denyList && matches(denyList, address)) return { message: 'IP blacklisted', code: 'IP_DENIED' };
    return null;
  };
};
