import type { ReactNode } from 'react';
import { Box, Flex, Typography } from '@strapi/design-system';

/** A titled white panel, as Strapi's own pages group their content. */
export const Section = ({ title, subtitle, children, testId }: { title: string; subtitle?: string; children: ReactNode; testId?: string }) => (
  <Box background="neutral0" hasRadius shadow="tableShadow" padding={6} data-testid={testId}>
    <Flex direction="column" alignItems="stretch" gap={4}>
      <Flex direction="column" alignItems="flex-start" gap={1}>
        <Typography variant="delta" tag="h2">
          {title}
        </Typography>
        {subtitle ? (
          <Typography variant="pi" textColor="neutral600">
            {subtitle}
          </Typography>
        ) : null}
      </Flex>
      {children}
    </Flex>
  </Box>
);
