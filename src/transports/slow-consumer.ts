/** The close code of a client closed for not reading what it is sent (RFC 6455 1013, "try again later"). */
export const SLOW_CONSUMER_CLOSE_CODE = 1013;

const GRACE_MS = 1000;

/**
 * A slow consumer's close frame waits behind everything it did not read, and `ws` would keep all of it for its
 * 30 s closing handshake: the socket is destroyed after a short grace instead, so its buffers go.
 */
export const destroyAfterGrace = (destroy: () => void) => void setTimeout(destroy, GRACE_MS).unref();
