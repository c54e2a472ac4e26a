/**
 * plugin-io's client-to-server events (entity subscriptions) and their acks. The event map codegen writes
 * (`socket-events.ts`) declares the same shapes, so either can be used.
 */

/** A content-type uid as Strapi writes it (`api::article.article`). */
export type ContentTypeUid = `api::${string}.${string}` | `plugin::${string}.${string}`;

/** The entity of a subscription: its numeric id or its documentId. */
export type EntityTarget = { uid: ContentTypeUid; id: number | string } | { uid: ContentTypeUid; documentId: string };

export type EntitySubscriptionAck =
  | { success: true; room: string; uid: string; id: number | string }
  | { success: false; error: string };

export type EntitySubscriptionsAck =
  | { success: true; subscriptions: Array<{ uid: string; id: string; room: string }> }
  | { success: false; error: string };

export interface EntityClientEvents {
  'subscribe-entity': (target: EntityTarget, ack: (result: EntitySubscriptionAck) => void) => void;
  'unsubscribe-entity': (target: EntityTarget, ack: (result: EntitySubscriptionAck) => void) => void;
  'get-entity-subscriptions': (ack: (result: EntitySubscriptionsAck) => void) => void;
}
