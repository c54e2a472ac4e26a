import { ApolloLink } from '@apollo/client';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { Observable } from 'rxjs';
import type { GraphQLFormattedError } from 'graphql';
import type { RealtimeClient } from '../realtime-client.js';

/**
 * A terminating Apollo link that runs operations on a RealtimeClient (WebSocket or its SSE fallback alike).
 * GraphQL errors become Apollo's CombinedGraphQLErrors; connection problems stay RealtimeConnectionErrors.
 */
export class RealtimeLink extends ApolloLink {
  constructor(readonly client: RealtimeClient) {
    super();
  }

  override request(operation: ApolloLink.Operation): Observable<ApolloLink.Result> {
    return new Observable<ApolloLink.Result>((observer) =>
      this.client.subscribe(
        { query: operation.query, variables: operation.variables, operationName: operation.operationName, extensions: operation.extensions },
        {
          next: (result) => observer.next(result as ApolloLink.Result),
          complete: () => observer.complete(),
          error: (error) =>
            observer.error(Array.isArray(error) ? new CombinedGraphQLErrors({ errors: error as GraphQLFormattedError[] }) : error),
        },
      ),
    );
  }
}
