/**
 * What the pipeline needs of a secret redactor: register a secret value, and replace every registered value in a
 * text by `***`. The implementation is `Redactor` of @mass-ingest/core (raw, JSON-escaped and URL-encoded forms,
 * multi-line secrets line by line), which also redacts the logs of `createLogger`; share one instance.
 */
export interface SecretRedactor {
  /** Register a secret value; undefined (and values too short to redact) are ignored. */
  add(secret: string | undefined): unknown;
  /** The text with every registered secret replaced by `***`. */
  redact(text: string): string;
}
