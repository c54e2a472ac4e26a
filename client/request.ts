import { print, type DocumentNode, type FormattedExecutionResult } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';

type AnyVariables = Record<string, unknown>;

/**
 * One GraphQL operation. `query` may be a typed document from codegen (`ArticleCreatedDocument`): `data` and
 * `variables` are then typed by it.
 */
export interface RealtimeRequest<TData = Record<string, unknown>, TVariables = AnyVariables> {
  query: string | DocumentNode | TypedDocumentNode<TData, TVariables>;
  variables?: TVariables;
  operationName?: string | null;
  extensions?: Record<string, unknown>;
}

/** A result as the server sends it (`data` and/or `errors`). */
export type RealtimeResult<TData = Record<string, unknown>> = FormattedExecutionResult<TData>;

/**
 * Receives the results of one subscription. `error` gets either the GraphQL errors of the operation (an array,
 * as graphql-ws reports them) or a `RealtimeConnectionError` when the connection could not be (re)established.
 */
export interface RealtimeSink<T> {
  next(value: T): void;
  error(error: unknown): void;
  complete(): void;
}

/** What graphql-ws and graphql-sse put on the wire. */
export interface WirePayload {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
  extensions?: Record<string, unknown>;
}

export const toWirePayload = (request: RealtimeRequest<unknown, unknown>): WirePayload => ({
  query: typeof request.query === 'string' ? request.query : print(request.query),
  ...(request.variables ? { variables: request.variables as Record<string, unknown> } : {}),
  ...(request.operationName ? { operationName: request.operationName } : {}),
  ...(request.extensions ? { extensions: request.extensions } : {}),
});
