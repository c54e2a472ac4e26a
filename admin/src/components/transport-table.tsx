import { Table, Tbody, Td, Tr, Typography } from '@strapi/design-system';
import type { DashboardOverview, TransportName } from '../api-types';
import { useTranslate, type TranslationKey } from '../use-translate';
import { ColumnHeaders } from './column-headers';
import { formatSeconds } from '../format';

const Cell = ({ children, testId }: { children: React.ReactNode; testId?: string }) => (
  <Td>
    <Typography textColor="neutral800" data-testid={testId}>
      {children}
    </Typography>
  </Td>
);

/**
 * One row per transport: live connections, subscriptions, audiences and groups, plus what it delivered.
 * graphql-ws and SSE subscribers share the same groups, so their audiences and groups are counted once.
 */
export const TransportTable = ({ overview }: { overview: DashboardOverview }) => {
  const t = useTranslate();
  const rows = overview.transports;
  const total = (pick: (row: DashboardOverview['transports'][number]) => number) => rows.reduce((sum, row) => sum + pick(row), 0);
  const COLUMNS: TranslationKey[] = [
    'transports.transport',
    'transports.connections',
    'transports.subscriptions',
    'transports.audiences',
    'transports.groups',
    'transports.deliveries',
    'transports.latency',
    'transports.slowClients',
  ];

  return (
    <Table colCount={COLUMNS.length} rowCount={rows.length + 2}>
      <ColumnHeaders columns={COLUMNS} />
      <Tbody>
        {rows.map((row) => {
          const name: TransportName = row.transport;
          const latency = overview.latency[name];
          const shared = name === 'graphql-sse';
          return (
            <Tr key={name} data-testid={`transport-${name}`}>
              <Cell>{t(`transports.name.${name}` as TranslationKey)}</Cell>
              <Cell testId={`connections-${name}`}>{row.connections}</Cell>
              <Cell testId={`subscriptions-${name}`}>{row.subscriptions}</Cell>
              <Cell>{shared ? t('transports.shared') : row.audiences}</Cell>
              <Cell>{shared ? t('transports.shared') : row.groups}</Cell>
              <Cell testId={`deliveries-${name}`}>{overview.deliveries[name]}</Cell>
              <Cell>
                {formatSeconds(latency.p50)} / {formatSeconds(latency.p95)}
              </Cell>
              <Cell>{overview.slowClientCloses[name]}</Cell>
            </Tr>
          );
        })}
        <Tr>
          <Td>
            <Typography fontWeight="bold">{t('transports.total')}</Typography>
          </Td>
          <Cell testId="connections-total">{total((row) => row.connections)}</Cell>
          <Cell>{total((row) => row.subscriptions)}</Cell>
          <Cell>{total((row) => row.audiences)}</Cell>
          <Cell>{total((row) => row.groups)}</Cell>
          <Cell>{Object.values(overview.deliveries).reduce((sum, n) => sum + n, 0)}</Cell>
          <Cell> </Cell>
          <Cell>{Object.values(overview.slowClientCloses).reduce((sum, n) => sum + n, 0)}</Cell>
        </Tr>
      </Tbody>
    </Table>
  );
};
