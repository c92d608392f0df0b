import type { RemoteHead } from "@mass-ingest/state";

type Failure = Extract<RemoteHead, { ok: false }>;

/**
 * A failed ls-remote's cause for people: "DNS", "TLS", "401 unauthorized", "403 forbidden", "ssh key refused",
 * "ssh host key unknown", "not found", "timeout", "connection refused", "error".
 */
export function causeOf(failure: Failure): string {
  switch (failure.kind) {
    case "dns":
      return "DNS";
    case "tls":
      return "TLS";
    case "auth":
      if (/host key verification/i.test(failure.message)) return "ssh host key unknown";
      if (/publickey/i.test(failure.message)) return "ssh key refused";
      return /\b403\b|forbidden|permission denied|access denied/i.test(failure.message) ? "403 forbidden" : "401 unauthorized";
    case "not-found":
      return "not found";
    case "timeout":
      return "timeout";
    default:
      return /connection refused|failed to connect|could not connect/i.test(failure.message) ? "connection refused" : "error";
  }
}
