/** `true` when A and B are the same type (not merely assignable). */
export type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/** Fails to compile unless the type argument is `true`: `expectType<Equal<typeof x, string>>()`. */
export const expectType = <T extends true>(): T | undefined => undefined;
