/**
 * Typed errors of @mass-ingest/batch: a stable `code`, a message that names the setting / resource,
 * and a `hint` saying what to do. Messages never carry secret values.
 */

/** Codes that mean "bad input or configuration, nothing attempted" (exit code 2). */
export const CONFIG_ERROR_CODES: ReadonlySet<string> = new Set([
  "MISSING_SETTING",
  "INVALID_SETTING",
  "INVALID_RUN_ID",
  "INVALID_PARTITIONS",
  "INVALID_ARRAY_INDEX",
  "CSV_NOT_FOUND",
  "CSV_UNREADABLE",
  "EMPTY_CSV",
  "CSV_CHANGED",
  "NOTHING_SELECTED",
  "JOB_QUEUE_NOT_FOUND",
  "JOB_QUEUE_DISABLED",
  "JOB_DEFINITION_NOT_FOUND",
  "JOB_NOT_FOUND",
  "RUN_NOT_FOUND",
  "SECRET_NOT_FOUND",
  "SECRET_ACCESS_DENIED",
  "SECRET_NOT_JSON",
  "SECRET_JSON_KEY_MISSING",
  "SECRET_NO_STRING",
  "AWS_CREDENTIALS",
  "AWS_ACCESS_DENIED",
  "PROCESSOR_NOT_FOUND",
]);

export interface BatchErrorOptions {
  hint?: string;
  cause?: unknown;
}

/** Every failure this package reports on purpose. */
export class BatchError extends Error {
  override readonly name = "BatchError";
  /** Stable machine-readable code, e.g. "JOB_QUEUE_NOT_FOUND". */
  readonly code: string;
  /** What to do about it. */
  readonly hint?: string;

  constructor(code: string, message: string, options: BatchErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    if (options.hint !== undefined) this.hint = options.hint;
  }

  /** 2 for bad input / configuration (nothing attempted), 1 otherwise. */
  get exitCode(): 1 | 2 {
    return CONFIG_ERROR_CODES.has(this.code) ? 2 : 1;
  }
}

interface AwsLikeError {
  name?: string;
  Code?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

const CREDENTIAL_ERROR_NAMES = new Set([
  "InvalidClientTokenId",
  "UnrecognizedClientException",
  "InvalidAccessKeyId",
  "SignatureDoesNotMatch",
  "InvalidSignatureException",
  "ExpiredToken",
  "ExpiredTokenException",
  "CredentialsProviderError",
  "IncompleteSignature",
  "MissingAuthenticationToken",
]);

/** The AWS error name (SDK v3 `name`, or the code some services put in the body). */
export function awsErrorName(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const e = error as AwsLikeError;
  return e.name ?? e.Code ?? e.code;
}

/** True when the error means "these credentials are wrong, expired or missing". */
export function isCredentialsError(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const e = error as AwsLikeError;
  const name = awsErrorName(error) ?? "";
  if (CREDENTIAL_ERROR_NAMES.has(name)) return true;
  const message = e.message ?? "";
  if (/Could not load credentials|security token included in the request is invalid|Access Key Id you provided does not exist/i.test(message)) return true;
  // Some endpoints answer a bad signature with a bare 403 whose XML body the JSON protocol cannot parse.
  if (e.$metadata?.httpStatusCode === 403 && /InvalidClientTokenId|UnrecognizedClient|SignatureDoesNotMatch/i.test(message)) return true;
  if (e.$metadata?.httpStatusCode === 403 && (name === "SyntaxError" || /not valid JSON|Unexpected token/i.test(message))) return true;
  return false;
}

/** True when the error is an authorization failure (credentials fine, permission missing). */
export function isAccessDenied(error: unknown): boolean {
  const name = awsErrorName(error) ?? "";
  return /AccessDenied|UnauthorizedOperation|NotAuthorized/i.test(name);
}

/**
 * Turn an AWS SDK error into a BatchError when it is a credentials / permission problem; returns
 * undefined for anything else (the caller decides).
 */
export function credentialsErrorFrom(error: unknown, operation: string): BatchError | undefined {
  if (isCredentialsError(error)) {
    return new BatchError(
      "AWS_CREDENTIALS",
      `AWS rejected the credentials for ${operation} (${awsErrorName(error) ?? "403"}).`,
      {
        hint: "Check AWS_PROFILE / AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN (or the task role) and AWS_REGION; run `aws sts get-caller-identity` with the same environment.",
        cause: error,
      },
    );
  }
  if (isAccessDenied(error)) {
    return new BatchError("AWS_ACCESS_DENIED", `AWS denied ${operation} (${awsErrorName(error) ?? "AccessDenied"}).`, {
      hint: `Grant the caller's IAM role permission for ${operation}.`,
      cause: error,
    });
  }
  return undefined;
}
