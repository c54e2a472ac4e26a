/** The demo page's list logic (example/demo/article-list-state.ts): what each subscription event does to the cards. */
import { describe, expect, it } from 'vitest';
import { LIST_SIZE, applyArticleEvent } from '../../example/demo/article-list-state';
import type { DemoArticleFragment } from '../../generated/graphql';

const article = (documentId: string, title = documentId): DemoArticleFragment => ({ documentId, title, summary: null, category: null });
const ids = (list: DemoArticleFragment[]) => list.map(({ documentId }) => documentId);

describe('demo article list', () => {
  const list = [article('b'), article('a')];

  it('puts created and published articles on top, once, and keeps the latest eight', () => {
    expect(ids(applyArticleEvent(list, { kind: 'created', article: article('c') }))).toEqual(['c', 'b', 'a']);
    expect(ids(applyArticleEvent(list, { kind: 'published', article: article('a') }))).toEqual(['a', 'b']);
    const full = Array.from({ length: LIST_SIZE }, (_, index) => article(String(index)));
    expect(applyArticleEvent(full, { kind: 'created', article: article('new') })).toHaveLength(LIST_SIZE);
  });

  it('changes an updated card in place, and brings in an updated article it did not show', () => {
    expect(applyArticleEvent(list, { kind: 'updated', article: article('a', 'A2') }).map(({ title }) => title)).toEqual(['b', 'A2']);
    expect(ids(applyArticleEvent(list, { kind: 'updated', article: article('z') }))).toEqual(['z', 'b', 'a']);
  });

  it('removes unpublished and deleted articles, and ignores ones it does not show', () => {
    expect(ids(applyArticleEvent(list, { kind: 'unpublished', documentId: 'a' }))).toEqual(['b']);
    expect(ids(applyArticleEvent(list, { kind: 'deleted', documentId: 'b' }))).toEqual(['a']);
    expect(ids(applyArticleEvent(list, { kind: 'deleted', documentId: 'zzz' }))).toEqual(['b', 'a']);
  });
});
