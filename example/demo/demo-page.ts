/**
 * The example app's live demo page (`/demo`, development only): the latest articles kept live by the project's
 * own client library (graphql-ws, SSE after a fallback or with `?transport=sse`), the raw Socket.IO events a
 * plugin-io client receives, and a form that writes through REST with the development API token.
 */
import { createRealtimeClient, type Transport } from '../../client/index.js';
import type { DemoArticleFragment } from '../../generated/graphql';
import { applyArticleEvent, type ArticleEvent } from './article-list-state';
import { renderArticleList, renderUnpublished } from './article-list-view';
import { createArticleWriter } from './article-writer';
import { rememberToken, takeTokenFromUrl } from './demo-token';
import { fetchLatestArticles } from './latest-articles';
import { subscribeToArticles } from './live-articles';
import { startSocketEventLog } from './socket-event-log';

const byId = <T extends HTMLElement>(id: string) => {
  const node = document.getElementById(id);
  if (!node) throw new Error(`#${id} is missing from demo.html`);
  return node as T;
};

/** Stands in for the browser's WebSocket with `?transport=sse`: the client then falls back to SSE, as behind a proxy. */
class NoWebSocket {
  // What graphql-ws checks before it accepts a WebSocket implementation.
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  constructor() {
    throw new Error('WebSocket turned off by ?transport=sse');
  }
}

const setBadge = (id: string, text: string, state: 'connecting' | 'connected' | 'disconnected') => {
  const badge = byId(id);
  badge.textContent = text;
  badge.dataset.state = state;
};

const main = () => {
  const { origin } = location;
  const form = byId<HTMLFormElement>('article-form');
  const fields = {
    title: form.elements.namedItem('title') as HTMLInputElement,
    summary: form.elements.namedItem('summary') as HTMLTextAreaElement,
    token: form.elements.namedItem('token') as HTMLInputElement,
  };
  const formStatus = byId('form-status');
  fields.token.value = takeTokenFromUrl();
  fields.token.addEventListener('change', () => rememberToken(fields.token.value.trim()));
  const writer = createArticleWriter(origin, () => fields.token.value.trim());

  let articles: DemoArticleFragment[] = [];
  let loaded = false;
  const early: ArticleEvent[] = [];
  const unpublished = new Map<string, string>();
  let editing: DemoArticleFragment | null = null;

  const report = (message: string, failed = false) => {
    formStatus.textContent = message;
    formStatus.dataset.failed = String(failed);
  };
  const attempt = (action: Promise<void>, done: string) =>
    action.then(
      () => report(done),
      (error: unknown) => report(error instanceof Error ? error.message : String(error), true),
    );

  const edit = (article: DemoArticleFragment | null) => {
    editing = article;
    fields.title.value = article?.title ?? '';
    fields.summary.value = article?.summary ?? '';
    byId('form-title').textContent = article ? 'Edit article' : 'New article';
    byId('submit').textContent = article ? 'Save changes' : 'Create';
    byId('cancel').hidden = !article;
  };
  const actions = {
    edit,
    unpublish: (article: DemoArticleFragment) => void attempt(writer.unpublish(article.documentId), `Unpublished “${article.title}”.`),
    remove: (article: DemoArticleFragment) => void attempt(writer.remove(article.documentId), `Deleted “${article.title}”.`),
  };
  const publish = (documentId: string) => void attempt(writer.publish(documentId), 'Published again.');

  const render = (changed: string | null) => {
    renderArticleList(byId<HTMLOListElement>('article-list'), articles, actions, changed);
    renderUnpublished(byId('unpublished'), byId<HTMLUListElement>('unpublished-list'), unpublished, publish);
  };
  const apply = (event: ArticleEvent) => {
    if (event.kind === 'unpublished') {
      const title = articles.find(({ documentId }) => documentId === event.documentId)?.title;
      unpublished.set(event.documentId, title ?? event.documentId);
    } else {
      unpublished.delete('article' in event ? event.article.documentId : event.documentId);
    }
    articles = applyArticleEvent(articles, event);
    if (editing && event.kind === 'deleted' && editing.documentId === event.documentId) edit(null);
    render('article' in event ? event.article.documentId : null);
  };

  const transportName = (transport: Transport) => (transport === 'sse' ? 'SSE' : 'WebSocket');
  const realtime = createRealtimeClient({
    url: `${origin.replace(/^http/, 'ws')}/graphql`,
    sseUrl: `${origin}/graphql/stream`,
    ...(new URLSearchParams(location.search).get('transport') === 'sse' ? { webSocketImpl: NoWebSocket } : {}),
    on: {
      connected: ({ transport }) => setBadge('graphql-status', `GraphQL over ${transportName(transport)}`, 'connected'),
      closed: () => setBadge('graphql-status', 'GraphQL: reconnecting…', 'connecting'),
    },
  });
  // Subscribed before the first page is read, so no change falls between the two; early events wait for the page.
  subscribeToArticles(
    realtime,
    (event) => (loaded ? apply(event) : early.push(event)),
    (message) => report(`Subscription error: ${message}`, true),
  );
  fetchLatestArticles(origin).then(
    (latest) => {
      articles = latest;
      loaded = true;
      render(null);
      for (const event of early.splice(0)) apply(event);
    },
    (error: unknown) => report(`Could not load the articles: ${String(error)}`, true),
  );

  startSocketEventLog({
    origin,
    log: byId<HTMLOListElement>('socket-log'),
    onState: (state, detail) =>
      setBadge('socket-status', state === 'connected' ? `Socket.IO over ${detail}` : `Socket.IO: ${detail ?? state}`, state),
  });

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const input = { title: fields.title.value.trim(), summary: fields.summary.value.trim() };
    const target = editing;
    void attempt(target ? writer.update(target.documentId, input) : writer.create(input), target ? 'Saved.' : 'Created.').then(() => {
      if (formStatus.dataset.failed === 'false') edit(null);
    });
  });
  byId('cancel').addEventListener('click', () => edit(null));
};

main();
