/**
 * What the pipeline needs of a secret redactor: register a secret value, and replace every registered value in a
 * text by `***`. The one implementation is `Redactor` of @mass-ingest/batch (raw, JSON-escaped and URL-encoded
 * forms, multi-line secrets line by line), which is also what redacts the logs; share one instance.
 */
export interface SecretRedactor {
  /** Register a secret value; undefined (and values too short to redact) are ignored. */
  add(secret: string | undefined): unknown;
  /** The text with every registered secret replaced by `***`. */
  redact(text: string): string;
}
