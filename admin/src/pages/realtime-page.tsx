import { Flex, Grid, Status, Typography } from '@strapi/design-system';
import { Layouts, Page } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { useTheme } from 'styled-components';
import type { DashboardOverview, MaskedConfig } from '../api-types';
import { PLUGIN_ID } from '../plugin-id';
import { READ_PERMISSIONS } from '../permissions';
import { usePolling } from '../hooks/use-polling';
import { useTranslate } from '../use-translate';
import { Section } from '../components/section';
import { TransportTable } from '../components/transport-table';
import { RateChart } from '../components/rate-chart';
import { HealthPanel } from '../components/health-panel';
import { EventLog } from '../components/event-log';
import { EndpointList } from '../components/endpoint-list';
import { ConfigView } from '../components/config-view';

/** Refresh period of the live figures (the issue asks for 1-2 s). */
const REFRESH_MS = 1500;

const RealtimeDashboard = () => {
  const t = useTranslate();
  const { formatTime } = useIntl();
  const theme = useTheme();
  const overview = usePolling<DashboardOverview>(`/${PLUGIN_ID}/overview`, REFRESH_MS);
  const config = usePolling<MaskedConfig>(`/${PLUGIN_ID}/config`, null);

  if (!overview.data) {
    return overview.error ? <Page.Error /> : <Page.Loading>{t('page.loading')}</Page.Loading>;
  }
  const data = overview.data;
  const points = data.series.points;

  return (
    <Page.Main>
      <Page.Title>{t('page.title')}</Page.Title>
      <Layouts.Header
        title={t('page.title')}
        subtitle={t('page.subtitle')}
        secondaryAction={
          <Status variant={overview.error ? 'danger' : 'success'} size="S" data-testid="refresh-status">
            <Typography variant="omega">
              {overview.error ? t('page.stale', { error: overview.error }) : t('page.updated', { time: formatTime(overview.updatedAt ?? data.at, { hour: '2-digit', minute: '2-digit', second: '2-digit' }) })}
            </Typography>
          </Status>
        }
      />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={6}>
          <Section title={t('transports.title')} testId="section-transports">
            <TransportTable overview={data} />
          </Section>
          <Section title={t('health.title')}>
            <Grid.Root gap={6}>
              {(
                [
                  { series: 'events', title: t('chart.events'), color: theme.colors.primary600 },
                  { series: 'deliveries', title: t('chart.deliveries'), color: theme.colors.success600 },
                ] as const
              ).map(({ series, title, color }) => (
                <Grid.Item key={series} col={6} s={12} direction="column" alignItems="stretch">
                  <RateChart
                    title={title}
                    values={points.map((point) => point[series])}
                    windowSeconds={data.series.windowSeconds}
                    color={color}
                    testId={`chart-${series}`}
                  />
                </Grid.Item>
              ))}
            </Grid.Root>
            <HealthPanel overview={data} />
          </Section>
          <Section title={t('events.title')} subtitle={t('events.subtitle')} testId="section-events">
            <EventLog events={data.recentEvents} />
          </Section>
          <Section title={t('endpoints.title')}>
            <EndpointList endpoints={data.endpoints} />
          </Section>
          <Section title={t('config.title')} subtitle={t('config.subtitle')}>
            {config.data ? <ConfigView config={config.data} /> : <Typography textColor="neutral600">{t('config.loading')}</Typography>}
          </Section>
        </Flex>
      </Layouts.Content>
    </Page.Main>
  );
};

/** The Realtime page: only for admins with `plugin::realtime.read` (others get Strapi's "no permissions" page). */
const RealtimePage = () => (
  <Page.Protect permissions={READ_PERMISSIONS}>
    <RealtimeDashboard />
  </Page.Protect>
);

export default RealtimePage;
