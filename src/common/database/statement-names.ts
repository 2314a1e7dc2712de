import { createHash } from 'node:crypto';

/**
 * A prepared statement's name is derived from its text, so that two texts never share one (pg
 * refuses a name prepared with another text on the same connection). Every name costs memory on
 * each connection that used it until the connection closes; the repositories' statements are a
 * fixed set, and texts beyond `limit` (built from variable parts) run unnamed.
 */
export class StatementNames {
  private readonly byText = new Map<string, string>();

  constructor(private readonly limit = 500) {}

  nameFor(text: string): string | null {
    const known = this.byText.get(text);
    if (known) return known;
    if (this.byText.size >= this.limit) return null;
    const name = `s_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    this.byText.set(text, name);
    return name;
  }
}
