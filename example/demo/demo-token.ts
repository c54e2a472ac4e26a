const STORAGE_KEY = 'realtime-demo-token';

/**
 * The development API token, from the link `npm start` prints (`/demo#token=...`). It travels in the URL fragment,
 * which browsers never send to the server, so the page itself never serves a credential; it is kept for this tab
 * only and removed from the address bar.
 */
export const takeTokenFromUrl = (): string => {
  const fromFragment = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromFragment) {
    sessionStorage.setItem(STORAGE_KEY, fromFragment);
    history.replaceState(null, '', location.pathname + location.search);
  }
  return sessionStorage.getItem(STORAGE_KEY) ?? '';
};

export const rememberToken = (token: string) => sessionStorage.setItem(STORAGE_KEY, token);
