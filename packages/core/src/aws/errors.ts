import { MassIngestError } from "../errors.js";

/** Errors of AWS SDK v3 calls, classified: wrong credentials, missing permission, or something else. */
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
  if (
    /Could not load credentials|security token included in the request is invalid|Access Key Id you provided does not exist/i.test(message)
  )
    return true;
  // Some endpoints answer a bad signature with a bare 403 whose XML body the JSON protocol cannot parse.
  if (e.$metadata?.httpStatusCode === 403 && /InvalidClientTokenId|UnrecognizedClient|SignatureDoesNotMatch/i.test(message)) return true;
  if (e.$metadata?.httpStatusCode === 403 && (name === "SyntaxError" || /not valid JSON|Unexpected token/i.test(message))) return true;
  return false;
}

/** True when the SDK found no credentials at all (its provider chain came up empty), as opposed to AWS rejecting them. */
export function isMissingCredentials(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const message = (error as AwsLikeError).message ?? "";
  return (
    awsErrorName(error) === "CredentialsProviderError" ||
    /Could not load credentials from any providers|Unable to find environment variable credentials|Could not resolve credentials using profile/i.test(
      message,
    )
  );
}

/** True when the error is an authorization failure (credentials fine, permission missing). */
export function isAccessDenied(error: unknown): boolean {
  const name = awsErrorName(error) ?? "";
  return /AccessDenied|UnauthorizedOperation|NotAuthorized/i.test(name);
}

/**
 * Turn an AWS SDK error into a MassIngestError when it is a credentials / permission problem; returns
 * undefined for anything else (the caller decides).
 */
export function credentialsErrorFrom(error: unknown, operation: string): MassIngestError | undefined {
  if (isMissingCredentials(error)) {
    return new MassIngestError(
      "AWS_CREDENTIALS",
      `No AWS credentials found for ${operation}: none in the environment, the shared config files or a role.`,
      {
        hint: "Provide credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary ones), or AWS_PROFILE naming a profile of ~/.aws/config (`aws configure` / `aws sso login`), or run where a role is attached (Batch task role, instance profile); `aws sts get-caller-identity` with the same environment shows what is found.",
        cause: error,
      },
    );
  }
  if (isCredentialsError(error)) {
    return new MassIngestError("AWS_CREDENTIALS", `AWS rejected the credentials for ${operation} (${awsErrorName(error) ?? "403"}).`, {
      hint: "Check AWS_PROFILE / AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN (or the task role) and AWS_REGION; run `aws sts get-caller-identity` with the same environment.",
      cause: error,
    });
  }
  if (isAccessDenied(error)) {
    return new MassIngestError("AWS_ACCESS_DENIED", `AWS denied ${operation} (${awsErrorName(error) ?? "AccessDenied"}).`, {
      hint: `Grant the caller's IAM role permission for ${operation}.`,
      cause: error,
    });
  }
  return undefined;
}
