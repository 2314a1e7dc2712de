/** Query parameters whose value is a credential, whatever it looks like. */
const SECRET_NAME = /token|jwt|auth|secret|passw|signature|api[-_]?key|session|credential/i;
/** Three base64url segments joined by dots: a JWT (or any JWS) wherever it was put. */
const JWS = /[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/;
const REDACTED = '[REDACTED]';

/**
 * The request URL as logs may show it (API.md: tokens are never written to logs, also when
 * sent where they do not belong): a path segment or a query value that holds a token, and
 * the value of any parameter named like a credential, become [REDACTED]; the rest is kept so
 * that a log line still says what was asked.
 */
export function redactUrl(url: string): string {
  const at = url.indexOf('?');
  const path = at === -1 ? url : url.slice(0, at);
  const redactedPath = path
    .split('/')
    .map((segment) => (JWS.test(decoded(segment)) ? REDACTED : segment))
    .join('/');
  if (at === -1) return redactedPath;
  const query = url
    .slice(at + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq === -1 ? pair : pair.slice(0, eq);
      if (SECRET_NAME.test(decoded(name))) return `${name}=${REDACTED}`;
      return JWS.test(decoded(pair)) ? `${JWS.test(decoded(name)) ? REDACTED : name}=${REDACTED}` : pair;
    })
    .join('&');
  return `${redactedPath}?${query}`;
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}
