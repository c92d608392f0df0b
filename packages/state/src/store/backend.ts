/** What the state store needs of a place to keep records: a local directory or an S3 prefix. */

/** An object's text and its version token (local: a sha256 of the content; S3: the ETag). */
export interface VersionedText {
  text: string;
  token: string;
}

/** A conditional write: only if the object is still at `ifMatch`, or only if there is none yet (`ifNoneMatch: "*"`). */
export interface WriteCondition {
  ifMatch?: string;
  ifNoneMatch?: "*";
}

/** Per request: `signal` aborts it, the SDK's retries included (the processor's deadline, its first SIGTERM). */
export interface RequestOptions {
  signal?: AbortSignal;
}

export interface StateBackend {
  readonly kind: "local" | "s3";
  /** The location of `key` for messages (a path, or s3://bucket/prefix/key). */
  location(key: string): string;
  /** The object at `key`, or undefined when there is none. */
  read(key: string, options?: RequestOptions): Promise<VersionedText | undefined>;
  /**
   * Replace `key` whole and atomically (readers see the old or the new text, never a part); returns the new
   * token. A failed condition throws StateConflictError.
   */
  write(key: string, text: string, condition?: WriteCondition, options?: RequestOptions): Promise<string>;
  /** Keys below `prefix` ("runs/"), relative to the root, "/"-separated. */
  list(prefix: string): Promise<string[]>;
  remove(key: string): Promise<void>;
  /**
   * Run `fn` as the one writer of the state. Local: an O_EXCL lock file; S3: no lock (state writes are
   * conditional on the ETag read instead).
   */
  withStateLock<T>(fn: () => Promise<T>): Promise<T>;
  close(): void;
}
