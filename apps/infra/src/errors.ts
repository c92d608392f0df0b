import { MassIngestError } from "@mass-ingest/core";

/** Stable error codes thrown by the infra app. */
export type InfraErrorCode = "INFRA_CONFIG_INVALID" | "INFRA_CONFIG_UNREADABLE" | "INFRA_CONFIG_MISSING";

/**
 * Every error the infra app throws on purpose: a stable `code`, a message naming the file / field, and a `hint`
 * saying what to do. All of them are configuration errors (exit code 2: nothing was synthesized). Config values
 * are never echoed for secret fields (only ARNs are configured anyway).
 */
export class InfraError extends MassIngestError {
  override name = "InfraError";
  declare readonly code: InfraErrorCode;
  declare readonly hint: string;
  /** One line per problem, `path: what is wrong. what to do`. Empty for errors that are not about fields. */
  readonly issues: readonly string[];
  constructor(code: InfraErrorCode, message: string, options: { hint: string; issues?: readonly string[]; cause?: unknown }) {
    super(code, message, { hint: options.hint, exitCode: 2, ...(options.cause === undefined ? {} : { cause: options.cause }) });
    this.issues = options.issues ?? [];
  }
}
