/**
 * URL helpers every package uses when a URL goes into a message, a log line or a report: credentials in a URL
 * (https://user:token@host) never leave the process.
 */

/** The URL without its user name and password (and without a trailing "/"); the input unchanged if it is no URL. */
export function stripUserInfo(url: string): string {
  try {
    return withoutUserInfo(new URL(url));
  } catch {
    return url;
  }
}

function withoutUserInfo(u: URL): string {
  u.username = "";
  u.password = "";
  return u.toString().replace(/\/$/, "");
}

/** `scheme://userinfo@` of a URL of any scheme inside text; the user info ends at the last "@" before the host. */
const USER_INFO = /([a-z][a-z0-9+.-]*:\/\/)[^/?#\s]*@/gi;

/**
 * The one rule for credentials in URLs: the user info of every URL in the text, of any scheme
 * (`https://user:token@host`, `ssh://git@host`, `s3://key:secret@bucket`), user name included, becomes `***`
 * (`https://***@host`). Text without such a URL is returned unchanged. Secret values outside URLs are the
 * Redactor's (4+ characters).
 */
export function maskUserInfo(text: string): string {
  return text.replace(USER_INFO, "$1***@");
}

/**
 * The URL for a message: user info masked (maskUserInfo) and a query string (which may hold a signature)
 * replaced by `?***`. Otherwise unchanged if it is no URL.
 */
export function redactUrl(location: string): string {
  const masked = maskUserInfo(location);
  try {
    const u = new URL(masked);
    u.search = u.search ? "?***" : "";
    return u.toString();
  } catch {
    return masked;
  }
}

/**
 * Split a URL's user info off: the URL without it, and the `Authorization: Basic` header value it stood for
 * (undefined when the URL had none).
 */
export function splitUserInfo(url: string): { url: string; authorization?: string } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { url };
  }
  if (!u.username && !u.password) return { url };
  const authorization = `Basic ${Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString("base64")}`;
  return { url: withoutUserInfo(u), authorization };
}
