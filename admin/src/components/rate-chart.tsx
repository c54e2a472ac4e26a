import { Box, Flex, Typography } from '@strapi/design-system';
import { useTheme } from 'styled-components';
import { useTranslate } from '../use-translate';
import { formatRate } from '../format';

const WIDTH = 600;
const HEIGHT = 140;
const PADDING = { top: 8, right: 8, bottom: 20, left: 36 };

/** 7 → 10, 230 → 250: a round top for the y axis so its labels read well. */
const niceCeiling = (value: number) => {
  if (value <= 1) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 2.5, 5, 10].find((factor) => factor * magnitude >= value)!;
  return step * magnitude;
};

/**
 * Per-second counts over the series window as a small SVG area chart (no chart library: the design system
 * has none, and one line needs none). The current second is still filling, so the figures use the last whole one.
 */
export const RateChart = ({ title, values, windowSeconds, color, testId }: { title: string; values: number[]; windowSeconds: number; color: string; testId?: string }) => {
  const t = useTranslate();
  const theme = useTheme();
  const complete = values.slice(0, -1);
  const current = complete.length > 0 ? complete[complete.length - 1] : 0;
  const peak = Math.max(0, ...complete);
  const average = complete.length > 0 ? complete.reduce((sum, n) => sum + n, 0) / complete.length : 0;
  const top = niceCeiling(peak);
  const minutes = Math.round(windowSeconds / 60);

  const innerWidth = WIDTH - PADDING.left - PADDING.right;
  const innerHeight = HEIGHT - PADDING.top - PADDING.bottom;
  const x = (index: number) => PADDING.left + (complete.length > 1 ? (index / (complete.length - 1)) * innerWidth : 0);
  const y = (value: number) => PADDING.top + innerHeight - (value / top) * innerHeight;
  const line = complete.map((value, index) => `${x(index).toFixed(1)},${y(value).toFixed(1)}`).join(' ');
  const area = complete.length > 1 ? `${PADDING.left},${y(0)} ${line} ${x(complete.length - 1)},${y(0)}` : '';
  const axis = theme.colors.neutral500;
  const grid = theme.colors.neutral150;
  const summary = t('chart.summary', { name: title, current: formatRate(current), peak: formatRate(peak), average: formatRate(average), minutes });

  return (
    <Box data-testid={testId}>
      <Flex justifyContent="space-between" alignItems="baseline" paddingBottom={2}>
        <Typography variant="omega" fontWeight="bold">
          {title}
        </Typography>
        <Typography variant="pi" textColor="neutral600">
          {t('chart.window', { minutes })}
        </Typography>
      </Flex>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width="100%" role="img" aria-label={summary}>
        <title>{summary}</title>
        {[0, 0.5, 1].map((fraction) => (
          <g key={fraction}>
            <line x1={PADDING.left} x2={WIDTH - PADDING.right} y1={y(top * fraction)} y2={y(top * fraction)} stroke={grid} />
            <text x={PADDING.left - 6} y={y(top * fraction) + 4} textAnchor="end" fontSize="11" fill={axis}>
              {formatRate(top * fraction)}
            </text>
          </g>
        ))}
        {Array.from({ length: minutes + 1 }, (_, index) => minutes - index).map((minutesAgo) => (
          <text
            key={minutesAgo}
            x={PADDING.left + innerWidth * (1 - minutesAgo / minutes)}
            y={HEIGHT - 4}
            textAnchor={minutesAgo === minutes ? 'start' : minutesAgo === 0 ? 'end' : 'middle'}
            fontSize="11"
            fill={axis}
          >
            {minutesAgo === 0 ? t('chart.now') : t('chart.minutesAgo', { minutes: minutesAgo })}
          </text>
        ))}
        {area ? <polygon points={area} fill={color} fillOpacity={0.12} /> : null}
        {line ? <polyline points={line} fill="none" stroke={color} strokeWidth={1.5} strokeLinejoin="round" /> : null}
      </svg>
      <Flex gap={6} paddingTop={2}>
        <Figure label={t('chart.current')} value={formatRate(current)} />
        <Figure label={t('chart.peak')} value={formatRate(peak)} />
        <Figure label={t('chart.average')} value={formatRate(average)} />
      </Flex>
    </Box>
  );
};

const Figure = ({ label, value }: { label: string; value: string }) => (
  <Flex direction="column" alignItems="flex-start">
    <Typography variant="sigma" textColor="neutral600">
      {label}
    </Typography>
    <Typography variant="omega" fontWeight="semiBold">
      {value}/s
    </Typography>
  </Flex>
);
