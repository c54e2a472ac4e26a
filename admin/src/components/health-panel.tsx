import { Box, Flex, Grid, Typography } from '@strapi/design-system';
import type { DashboardOverview } from '../api-types';
import { useTranslate, type TranslationKey } from '../use-translate';

const Stat = ({ label, value, testId }: { label: string; value: number; testId?: string }) => (
  <Flex direction="column" alignItems="flex-start" gap={1}>
    <Typography variant="sigma" textColor="neutral600">
      {label}
    </Typography>
    <Typography variant="beta" tag="p" data-testid={testId}>
      {value}
    </Typography>
  </Flex>
);

const Breakdown = ({ rows, none }: { rows: [string, number][]; none: string }) =>
  rows.length === 0 ? (
    <Typography variant="pi" textColor="neutral500">
      {none}
    </Typography>
  ) : (
    <Flex direction="column" alignItems="stretch" gap={1}>
      {rows.map(([label, count]) => (
        <Flex key={label} justifyContent="space-between" gap={4}>
          <Typography variant="pi">{label}</Typography>
          <Typography variant="pi" fontWeight="bold">
            {count}
          </Typography>
        </Flex>
      ))}
    </Flex>
  );

/** Counters that should stay at zero (refusals, errors, slow clients), with their breakdown, and the pipeline's work. */
export const HealthPanel = ({ overview }: { overview: DashboardOverview }) => {
  const t = useTranslate();
  const refused = overview.refusedConnections.reduce((sum, { count }) => sum + count, 0);
  const errors = Object.values(overview.errors).reduce((sum, n) => sum + n, 0);
  const slow = Object.values(overview.slowClientCloses).reduce((sum, n) => sum + n, 0);
  const { pipeline } = overview;

  return (
    <Grid.Root gap={4}>
      <Grid.Item col={3} s={6} xs={12} direction="column" alignItems="stretch">
        <Stat label={t('health.eventsCaptured')} value={overview.eventsCaptured} testId="events-captured" />
        <Box paddingTop={2}>
          <Stat label={t('health.eventsProcessed')} value={overview.eventsProcessed} />
        </Box>
      </Grid.Item>
      <Grid.Item col={3} s={6} xs={12} direction="column" alignItems="stretch" gap={2}>
        <Stat label={t('health.refused')} value={refused} testId="refused-total" />
        <Breakdown
          none={t('health.none')}
          rows={overview.refusedConnections.map(({ transport, reason, count }) => [t('health.refusedRow', { transport, reason }), count])}
        />
      </Grid.Item>
      <Grid.Item col={3} s={6} xs={12} direction="column" alignItems="stretch" gap={2}>
        <Stat label={t('health.errors')} value={errors} testId="errors-total" />
        <Breakdown
          none={t('health.none')}
          rows={Object.entries(overview.errors)
            .filter(([, count]) => count > 0)
            .map(([kind, count]) => [t(`health.error.${kind}` as TranslationKey), count])}
        />
        <Stat label={t('health.slowClients')} value={slow} />
      </Grid.Item>
      <Grid.Item col={3} s={6} xs={12} direction="column" alignItems="stretch" gap={1}>
        <Typography variant="sigma" textColor="neutral600">
          {t('pipeline.title')}
        </Typography>
        <Breakdown
          none={t('health.none')}
          rows={[
            [t('pipeline.sanitizeCalls'), pipeline.sanitizeCalls],
            [t('pipeline.cacheHits'), pipeline.authorizationCacheHits],
            [t('pipeline.cacheMisses'), pipeline.authorizationCacheMisses],
            [t('pipeline.principalsResolved'), pipeline.principalsResolved],
            [t('pipeline.principalsRejected'), pipeline.principalsRejected],
          ]}
        />
      </Grid.Item>
    </Grid.Root>
  );
};
