import { Box, Typography } from '@strapi/design-system';
import type { MaskedConfig } from '../api-types';

/** The effective configuration as indented JSON (read-only; the server masked its secrets already). */
export const ConfigView = ({ config }: { config: MaskedConfig }) => (
  <Box background="neutral100" hasRadius padding={4} overflow="auto" maxHeight="480px">
    <Typography tag="pre" variant="pi" data-testid="effective-config" style={{ fontFamily: 'monospace', whiteSpace: 'pre', margin: 0 }}>
      {JSON.stringify(config, null, 2)}
    </Typography>
  </Box>
);
