import { existsSync } from "node:fs";
import { redactZip } from "./isolation/redact-zip.js";
import type { LogStore } from "./log-store.js";
import { logKeys, type LogKeys } from "./log-layout.js";
import type { UploadWhat } from "./options.js";
import { writeJsonAtomic, type ArtifactLocation, type RepoResult, type RunReport } from "./report.js";
import type { RunContext } from "./run-context.js";

/** Uploads of one run's log zips and report to its log store (none: everything stays local). */
export class LogUpload {
  readonly #context: RunContext;
  readonly #store?: LogStore;
  readonly #keys?: LogKeys;

  constructor(context: RunContext, store: LogStore | undefined, index: string) {
    this.#context = context;
    if (store) {
      this.#store = store;
      this.#keys = logKeys(store.layout, index, context.ts);
    }
  }

  /** Upload one local file (when it exists); the location says where it is and why an upload failed. */
  async #upload(what: UploadWhat, file: string, contentType?: string): Promise<ArtifactLocation> {
    if (!existsSync(file)) return {};
    const location: ArtifactLocation = { local: file };
    if (!this.#store || !this.#keys) return location;
    const { emit, redact } = this.#context;
    try {
      location.uploaded = await this.#store.put(this.#keys[what], file, contentType ? { contentType } : {});
      emit({ type: "upload", what, location: location.uploaded });
    } catch (error) {
      location.error = redact((error as Error).message);
      emit({ type: "upload-failed", what, error: location.error });
    }
    return location;
  }

  /**
   * Rewrite the two zips through the redactor (entry by entry), upload them (when any step wrote to them) and point
   * each repository at where its logs ended up.
   */
  async zips(results: RepoResult[]): Promise<{ syncLog: ArtifactLocation; buildLog: ArtifactLocation }> {
    const { files, redact } = this.#context;
    await Promise.all([redactZip(files.syncLog, redact), redactZip(files.buildLog, redact)]);
    const [syncLog, buildLog] = await Promise.all([this.#upload("syncLog", files.syncLog), this.#upload("buildLog", files.buildLog)]);
    for (const r of results) {
      if (r.logs.syncLog && syncLog.uploaded) r.logs.syncLog = syncLog.uploaded;
      if (r.logs.buildLog && buildLog.uploaded) r.logs.buildLog = buildLog.uploaded;
    }
    return { syncLog, buildLog };
  }

  /** Write the report locally (naming its upload location), upload it, and rewrite it when the upload failed. */
  async report(report: RunReport): Promise<void> {
    const file = this.#context.files.report;
    if (this.#store && this.#keys) report.logs.report.uploaded = this.#store.locate(this.#keys.report);
    await writeJsonAtomic(file, report);
    if (!this.#store) return;
    const uploaded = await this.#upload("report", file, "application/json");
    if (uploaded.error) {
      delete report.logs.report.uploaded;
      report.logs.report.error = uploaded.error;
      await writeJsonAtomic(file, report);
    }
  }
}
