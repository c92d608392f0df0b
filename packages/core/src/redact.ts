/** Secret values shorter than this are not redacted (they would shred ordinary text); use real secrets. */
const MIN_SECRET_LENGTH = 4;

/** Lines of a multi-line secret (git-credentials file, private key) shorter than this are not redacted on their own. */
const MIN_SECRET_LINE_LENGTH = 8;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Replaces every registered secret value by `***`, in each form it can take in text: as is, JSON-escaped (log
 * lines are JSON), and URL-encoded (credentials end up in URLs). A multi-line secret (a git-credentials file, a
 * private key) is also redacted line by line (lines of 8+ characters). Values shorter than 4 characters are
 * ignored: they would mangle ordinary text. One instance per process: the logger, error messages, the CLI's
 * command lines and the report all redact through it.
 */
export class Redactor {
  readonly #forms = new Set<string>();
  #pattern: RegExp | undefined;

  constructor(secrets: Iterable<string | undefined> = []) {
    for (const secret of secrets) this.add(secret);
  }

  /** Register a secret value (undefined, non-string and short values are ignored). */
  add(secret: string | undefined): this {
    if (typeof secret !== "string" || secret.length < MIN_SECRET_LENGTH) return this;
    let changed = false;
    for (const form of [secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)]) {
      if (!this.#forms.has(form)) {
        this.#forms.add(form);
        changed = true;
      }
    }
    if (changed) {
      // Longest first so a secret that contains another is replaced whole.
      this.#pattern = new RegExp(this.values.map(escapeRegExp).join("|"), "g");
    }
    if (secret.includes("\n")) {
      for (const line of secret.split(/\r?\n/)) if (line.trim().length >= MIN_SECRET_LINE_LENGTH) this.add(line.trim());
    }
    return this;
  }

  /** Every registered form, longest first. */
  get values(): string[] {
    return [...this.#forms].sort((a, b) => b.length - a.length);
  }

  /** The text with every registered form replaced by `***`. */
  redact(text: string): string {
    return this.#pattern ? text.replace(this.#pattern, "***") : text;
  }
}
