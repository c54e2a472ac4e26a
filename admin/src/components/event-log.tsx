import { Badge, Table, Tbody, Td, Tr, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import type { DashboardOverview } from '../api-types';
import { useTranslate, type TranslationKey } from '../use-translate';
import { ColumnHeaders } from './column-headers';

const COLUMNS: TranslationKey[] = [
  'events.time',
  'events.contentType',
  'events.action',
  'events.documentId',
  'events.locale',
  'events.status',
  'events.audiences',
  'events.subscribers',
];

/** The latest changes, newest first: identifiers and reach only (the API never sends field values). */
export const EventLog = ({ events }: { events: DashboardOverview['recentEvents'] }) => {
  const t = useTranslate();
  const { formatTime } = useIntl();
  if (events.length === 0) {
    return (
      <Typography variant="omega" textColor="neutral600" data-testid="event-log-empty">
        {t('events.empty')}
      </Typography>
    );
  }
  return (
    <Table colCount={COLUMNS.length} rowCount={events.length + 1}>
      <ColumnHeaders columns={COLUMNS} />
      <Tbody>
        {events.map((event) => (
          <Tr key={event.id} data-testid="event-row" data-document-id={event.documentId}>
            <Td>
              <Typography>{formatTime(event.at, { hour: '2-digit', minute: '2-digit', second: '2-digit' })}</Typography>
            </Td>
            <Td>
              <Typography>{event.uid}</Typography>
            </Td>
            <Td>
              <Badge>{event.action}</Badge>
            </Td>
            <Td>
              <Typography style={{ fontFamily: 'monospace' }}>{event.documentId}</Typography>
            </Td>
            <Td>
              <Typography>{event.locale ?? '–'}</Typography>
            </Td>
            <Td>
              <Typography>{event.status}</Typography>
            </Td>
            <Td>
              <Typography>{event.audiences}</Typography>
            </Td>
            <Td>
              <Typography data-testid="event-subscribers">{event.subscribers}</Typography>
            </Td>
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
};
