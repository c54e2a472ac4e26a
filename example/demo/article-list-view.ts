import type { DemoArticleFragment } from '../../generated/graphql';

export interface CardActions {
  edit(article: DemoArticleFragment): void;
  unpublish(article: DemoArticleFragment): void;
  remove(article: DemoArticleFragment): void;
}

const element = <K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] => {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
};

const button = (label: string, onClick: () => void, className?: string) => {
  const node = element('button', label, className);
  node.type = 'button';
  node.addEventListener('click', onClick);
  return node;
};

const when = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString() : '');

/** One card: title, summary, category, publication time, and what the token may do with it. */
const card = (article: DemoArticleFragment, actions: CardActions, changed: boolean): HTMLLIElement => {
  const item = element('li', undefined, changed ? 'card changed' : 'card');
  item.dataset.documentId = article.documentId;
  const header = element('div', undefined, 'card-header');
  header.append(element('h3', article.title));
  if (article.category?.name) header.append(element('span', article.category.name, 'tag'));
  item.append(header);
  if (article.summary) item.append(element('p', article.summary));
  const footer = element('div', undefined, 'card-footer');
  footer.append(
    element('time', `published ${when(article.publishedAt)}`),
    button('Edit', () => actions.edit(article)),
    button('Unpublish', () => actions.unpublish(article)),
    button('Delete', () => actions.remove(article), 'danger'),
  );
  item.append(footer);
  return item;
};

/** Redraws the list (eight cards at most: cheaper and simpler than patching the DOM). */
export const renderArticleList = (
  list: HTMLOListElement,
  articles: readonly DemoArticleFragment[],
  actions: CardActions,
  changedDocumentId: string | null,
) => {
  list.replaceChildren(...articles.map((article) => card(article, actions, article.documentId === changedDocumentId)));
  if (articles.length === 0) list.append(element('li', 'No published article. Create one with the form.', 'empty'));
};

/** Articles unpublished while the page was open, with a button to publish them again. */
export const renderUnpublished = (
  section: HTMLElement,
  list: HTMLUListElement,
  unpublished: ReadonlyMap<string, string>,
  publish: (documentId: string) => void,
) => {
  section.hidden = unpublished.size === 0;
  list.replaceChildren(
    ...[...unpublished].map(([documentId, title]) => {
      const item = element('li');
      item.dataset.documentId = documentId;
      item.append(element('span', title), button('Publish', () => publish(documentId)));
      return item;
    }),
  );
};
