import { GraphQLError } from 'graphql';
import type { Plugin, YogaInitialContext } from 'graphql-yoga';
import { isGraphqlSseRequest } from './graphql-sse-request';

/**
 * Subscriptions on the SSE endpoint run through the graphql-sse handler only. yoga would also stream them for a
 * plain POST (its own SSE or multipart responses); that second path would skip what the graphql-sse path
 * enforces, so such a request gets one clear error instead. Queries (GraphiQL's introspection) are unaffected.
 */
export const subscriptionsOverSseOnly = (): Plugin<YogaInitialContext> => ({
  onSubscribe({ args, setResultAndStopExecution }) {
    if (isGraphqlSseRequest((args.contextValue as YogaInitialContext).request)) return;
    setResultAndStopExecution({
      errors: [
        new GraphQLError('Subscriptions here use the graphql-sse protocol (accept: text/event-stream), or graphql-ws over WebSocket', {
          extensions: { code: 'BAD_REQUEST' },
        }),
      ],
    });
  },
});
