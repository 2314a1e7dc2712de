import { Foundation1763700000000 } from './1763700000000-foundation';

/** Listed explicitly (not globbed) so the same list works from ts sources in tests and from dist. */
export const MIGRATIONS = [Foundation1763700000000];
