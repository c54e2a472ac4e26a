import { useIntl } from 'react-intl';
import { getTrad } from './get-trad';
import en from './translations/en.json';

export type TranslationKey = keyof typeof en;

/** `t('page.title')`: the admin's i18n with the plugin's id prefix, English as the default message. */
export const useTranslate = () => {
  const { formatMessage } = useIntl();
  return (key: TranslationKey, values?: Record<string, string | number>) => formatMessage({ id: getTrad(key), defaultMessage: en[key] }, values);
};
