/**
 * Replaces every registered secret value by `***`. Secrets shorter than 4 characters are ignored (they would
 * mangle ordinary text); URL-encoded forms of each secret are redacted too, since credentials end up in URLs.
 */
export class Redactor {
  readonly #secrets = new Set<string>();

  constructor(secrets: Iterable<string | undefined> = []) {
    for (const secret of secrets) this.add(secret);
  }

  /** Register a secret value (undefined/short values are ignored). */
  add(secret: string | undefined): this {
    if (!secret || secret.length < 4) return this;
    this.#secrets.add(secret);
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) this.#secrets.add(encoded);
    // Multi-line secrets (git-credentials files, keys): also each meaningful line on its own.
    if (secret.includes("\n")) {
      for (const line of secret.split(/\r?\n/)) if (line.trim().length >= 8) this.add(line.trim());
    }
    return this;
  }

  /** All registered values, longest first (so a secret containing another is replaced whole). */
  get values(): string[] {
    return [...this.#secrets].sort((a, b) => b.length - a.length);
  }

  /** The text with every secret replaced by `***`. */
  redact(text: string): string {
    let out = text;
    for (const secret of this.values) if (out.includes(secret)) out = out.split(secret).join("***");
    return out;
  }
}
