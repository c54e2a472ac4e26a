/** The fields the demo's form edits. */
export interface ArticleInput {
  title: string;
  summary: string;
}

type StrapiError = { error?: { status?: number; message?: string } };

/**
 * Writes through Strapi's REST API with an API token, as any client would: the realtime events the page shows
 * come from these writes like from any other (admin panel, services, GraphQL mutations).
 * `publish`/`unpublish` are the example's own routes (Strapi 5's REST API has none).
 */
export const createArticleWriter = (origin: string, getToken: () => string) => {
  const call = async (method: string, path: string, body?: unknown): Promise<void> => {
    const token = getToken();
    if (!token) throw new Error('Paste the API token that `npm start` printed first.');
    const response = await fetch(`${origin}/api/articles${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.ok) return;
    const answer = (await response.json().catch(() => ({}))) as StrapiError;
    throw new Error(`${method} /api/articles${path}: ${response.status} ${answer.error?.message ?? response.statusText}`);
  };
  return {
    create: (input: ArticleInput) => call('POST', '', { data: input }),
    update: (documentId: string, input: ArticleInput) => call('PUT', `/${encodeURIComponent(documentId)}`, { data: input }),
    publish: (documentId: string) => call('POST', `/${encodeURIComponent(documentId)}/publish`),
    unpublish: (documentId: string) => call('POST', `/${encodeURIComponent(documentId)}/unpublish`),
    remove: (documentId: string) => call('DELETE', `/${encodeURIComponent(documentId)}`),
  };
};

export type ArticleWriter = ReturnType<typeof createArticleWriter>;
