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

/**
 * The URL for a message: user info replaced by `***` and a query string (which may hold a signature) by `?***`.
 * The input unchanged if it is no URL.
 */
export function redactUrl(location: string): string {
  try {
    const u = new URL(location);
    if (u.username || u.password) {
      u.username = "***";
      u.password = "";
    }
    u.search = u.search ? "?***" : "";
    return u.toString();
  } catch {
    return location;
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
