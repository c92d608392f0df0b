/**
 * The one channel an ingest run reports on: every event is a typed value with a `type`, given to one listener.
 * The caller composes what listens (progress, metrics, result records, logs) with `listenAll`.
 */
import type { ArtifactStoreKind } from "./configure.js";
import type { PipelineEvent } from "./options.js";

/** What `ingest` reports, in order: configured, start, then the pipeline's events; the upload and monitor notes. */
export type IngestEvent =
  | PipelineEvent
  /** The CLI is configured: the `mod config` command lines run, the store (none: LSTs stay local), the version, deprecations. */
  | { type: "configured"; commands: string[]; store?: ArtifactStoreKind; cliVersion?: string; warnings: string[] }
  /** Set-up is done and the pipeline starts now; errors from here on are the run's, not the configuration's. */
  | { type: "start"; store?: ArtifactStoreKind }
  /** A log upload failed and will be retried (the error is redacted). */
  | { type: "upload-retry"; key: string; attempt: number; error: string }
  /** `mod monitor` ended before the run did. */
  | { type: "monitor-stopped"; exitCode: number | null; outputTail: string };

/** Listens on the channel. Every string in an event is already redacted. */
export type IngestListener = (event: IngestEvent) => void;

/** One listener that gives each event to every listener given, in order (undefined ones are skipped). */
export function listenAll(...listeners: readonly (IngestListener | undefined)[]): IngestListener {
  const all = listeners.filter((l): l is IngestListener => l !== undefined);
  return (event) => {
    for (const listener of all) listener(event);
  };
}
