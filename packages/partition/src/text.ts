/** Small string helpers for the hot path and for safe error messages. */
import { maskUserInfo } from "@mass-ingest/core";

const MAX_VALUE_LENGTH = 80;

/** True when `s` holds an ASCII control character (0x00-0x1f, 0x7f). Tab counts too when `allowTab` is false. */
export function hasControlChar(s: string, allowTab = false): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) {
      if (allowTab && c === 0x09) continue;
      return true;
    }
  }
  return false;
}

/** A value made safe to print: credentials redacted, control characters escaped, at most 80 characters. */
export function displayValue(s: string): string {
  let v = maskUserInfo(s);
  // eslint-disable-next-line no-control-regex
  v = v.replace(/[\u0000-\u001f\u007f"\\]/g, (c) => {
    if (c === "\n") return "\\n";
    if (c === "\r") return "\\r";
    if (c === "\t") return "\\t";
    if (c === '"') return '\\"';
    if (c === "\\") return "\\\\";
    return `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`;
  });
  return v.length > MAX_VALUE_LENGTH ? `${v.slice(0, MAX_VALUE_LENGTH - 1)}…` : v;
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Why a relative path-like value (path, origin, orgN) is unsafe, or undefined when it is fine:
 * `..` segments, a leading `/` (or `\`), control characters or NUL. `checkControl: false` skips the control
 * character scan for values already known to have none (derived from a checked URL).
 */
export function unsafePathReason(s: string, checkControl = true): string | undefined {
  if (s.length === 0) return undefined;
  const first = s.charCodeAt(0);
  if (first === 0x2f || first === 0x5c) return "starts with a slash (absolute path)";
  if (checkControl && CONTROL.test(s)) {
    return s.indexOf("\u0000") >= 0 ? "contains a NUL character" : "contains a control character";
  }
  if (s.indexOf("..") < 0) return undefined;
  let segStart = 0;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 0x2f;
    if (c === 0x2f || c === 0x5c) {
      if (i - segStart === 2 && s.charCodeAt(segStart) === 0x2e && s.charCodeAt(segStart + 1) === 0x2e) {
        return 'contains a ".." segment';
      }
      segStart = i + 1;
    }
  }
  return undefined;
}
