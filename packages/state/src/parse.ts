/** Reading and writing the records: JSON + kind/version check + zod; a bad file is a StateError naming it. */
import { z } from "zod";
import { withOutcomeOnDisk } from "./outcome-on-disk.js";
import { resetHint, StateError } from "./errors.js";
import {
  KINDS,
  manifestSchema,
  RECORD_VERSION,
  resultEntrySchema,
  resultFileSchema,
  selectionSchema,
  stateEntrySchema,
  stateFileSchema,
  type ManifestPartition,
  type PartitionResult,
  type ResultEntry,
  type RunManifest,
  type RunState,
  type SelectionRecord,
} from "./records.js";

type Kind = (typeof KINDS)[keyof typeof KINDS];

function issueText(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "invalid";
  return `${issue.path.length ? issue.path.join(".") : "(top level)"}: ${issue.message}`;
}

/** JSON, then the kind and version, then the schema; throws StateError "STATE_CORRUPT" / "STATE_FOREIGN" / "STATE_VERSION". */
function parseRecord<S extends z.ZodType>(text: string, schema: S, kind: Kind, location: string, hint: string): z.infer<S> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new StateError("STATE_CORRUPT", `${location} is not valid JSON (${(error as Error).message}).`, { hint, cause: error });
  }
  const head = (typeof json === "object" && json !== null ? json : {}) as { kind?: unknown; version?: unknown };
  if (head.kind !== kind) {
    throw new StateError("STATE_FOREIGN", `${location} is not a ${kind} record (its kind is ${JSON.stringify(head.kind ?? null)}).`, {
      hint,
    });
  }
  if (head.version !== RECORD_VERSION) {
    throw new StateError(
      "STATE_VERSION",
      `${location} has version ${JSON.stringify(head.version ?? null)}; this mass-ingest reads version ${RECORD_VERSION}.`,
      {
        hint: `It was written by another mass-ingest version. ${hint}`,
      },
    );
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new StateError("STATE_CORRUPT", `${location} is not a valid ${kind} record (${issueText(parsed.error)}).`, { hint });
  }
  return parsed.data;
}

/** The state with no repository in it (a first run, or a reset). */
export function emptyState(): RunState {
  return { updatedAt: new Date(0).toISOString(), repos: {}, unreadable: {}, pendingRuns: [] };
}

/** Parse state.json; entries that fail validation go to `unreadable` (those repositories are built). */
export function parseState(text: string, location: string): RunState {
  const file = parseRecord(text, stateFileSchema, KINDS.state, location, resetHint(location));
  const state: RunState = {
    updatedAt: file.updatedAt,
    repos: {},
    unreadable: {},
    pendingRuns: file.pendingRuns,
    ...(file.rollout ? { rollout: file.rollout } : {}),
  };
  for (const [key, value] of Object.entries(file.repos)) {
    const entry = stateEntrySchema.safeParse(value);
    if (entry.success) state.repos[key] = entry.data;
    else state.unreadable[key] = value;
  }
  return state;
}

/** state.json, compact (100,000 repositories: a third less to write and parse than indented). */
export function serializeState(state: RunState): string {
  const repos: Record<string, unknown> = { ...state.unreadable };
  for (const [key, entry] of Object.entries(state.repos)) repos[key] = withOutcomeOnDisk(entry);
  return `${JSON.stringify({ kind: KINDS.state, version: RECORD_VERSION, updatedAt: state.updatedAt, pendingRuns: state.pendingRuns, ...(state.rollout ? { rollout: state.rollout } : {}), repos })}\n`;
}

const recordHint = (location: string) => `Move ${location} aside, or plan the run again.`;

export function parseManifest(text: string, location: string): RunManifest {
  const { kind: _k, version: _v, ...manifest } = parseRecord(text, manifestSchema, KINDS.manifest, location, recordHint(location));
  return manifest;
}

/** A run manifest's head (everything but the partitions), as an array child reads it. */
export type ManifestHead = Omit<RunManifest, "partitions">;

const manifestHeadSchema = manifestSchema.extend({ partitions: z.array(z.unknown()) });
const manifestPartitionSchema = manifestSchema.shape.partitions.element;

/**
 * One partition of a manifest (array-index order) without validating the others: an array child of 25,000 checks
 * its own slice, not the whole plan. `partition` is undefined when the index is out of range.
 */
export function parseManifestPartition(
  text: string,
  location: string,
  index: number,
): { manifest: ManifestHead; partitionCount: number; partition: ManifestPartition | undefined } {
  const hint = recordHint(location);
  const { kind: _k, version: _v, partitions, ...manifest } = parseRecord(text, manifestHeadSchema, KINDS.manifest, location, hint);
  const raw = Number.isSafeInteger(index) && index >= 0 ? partitions[index] : undefined;
  if (raw === undefined) return { manifest, partitionCount: partitions.length, partition: undefined };
  const parsed = manifestPartitionSchema.safeParse(raw);
  if (!parsed.success) {
    throw new StateError(
      "STATE_CORRUPT",
      `${location} is not a valid ${KINDS.manifest} record (partitions.${index}.${issueText(parsed.error)}).`,
      {
        hint,
      },
    );
  }
  return { manifest, partitionCount: partitions.length, partition: parsed.data };
}

export function serializeManifest(manifest: RunManifest): string {
  return `${JSON.stringify({ kind: KINDS.manifest, version: RECORD_VERSION, ...manifest })}\n`;
}

export function parseSelection(text: string, location: string): SelectionRecord {
  const { kind: _k, version: _v, ...selection } = parseRecord(text, selectionSchema, KINDS.selection, location, recordHint(location));
  return selection;
}

export function serializeSelection(selection: SelectionRecord): string {
  return `${JSON.stringify({ kind: KINDS.selection, version: RECORD_VERSION, ...selection })}\n`;
}

/**
 * Parse a partition's result record. Entries that fail validation are left out and reported through `warn`
 * (those repositories count as not finished); a record that does not parse at all throws (the store turns that
 * into a warning).
 */
export function parseResult(text: string, location: string, warn: (message: string) => void = () => {}): PartitionResult {
  const file = parseRecord(text, resultFileSchema, KINDS.result, location, recordHint(location));
  const repos: ResultEntry[] = [];
  file.repos.forEach((value, i) => {
    const entry = resultEntrySchema.safeParse(value);
    if (entry.success) repos.push(entry.data);
    else warn(`${location}: entry ${i + 1} is not a valid result (${issueText(entry.error)}); that repository counts as not finished.`);
  });
  return {
    runId: file.runId,
    partition: file.partition,
    updatedAt: file.updatedAt,
    ...(file.attempts ? { attempts: file.attempts } : {}),
    repos,
  };
}

export function serializeResult(result: PartitionResult): string {
  return `${JSON.stringify({ kind: KINDS.result, version: RECORD_VERSION, ...result, repos: result.repos.map(withOutcomeOnDisk) })}\n`;
}
