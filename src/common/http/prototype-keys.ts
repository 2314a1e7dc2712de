/**
 * Keys that name an object's prototype machinery. A client has no business sending them, and
 * code that copies or merges what it got would let them reach a prototype, so they are refused
 * wherever a client names keys (JSON bodies, query strings) instead of being dropped quietly.
 */
export const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
