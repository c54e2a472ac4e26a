import { Th, Thead, Tr, Typography } from '@strapi/design-system';
import { useTranslate, type TranslationKey } from '../use-translate';

/** A table's header row: one translated column title per key. */
export const ColumnHeaders = ({ columns }: { columns: readonly TranslationKey[] }) => {
  const t = useTranslate();
  return (
    <Thead>
      <Tr>
        {columns.map((key) => (
          <Th key={key}>
            <Typography variant="sigma">{t(key)}</Typography>
          </Th>
        ))}
      </Tr>
    </Thead>
  );
};
