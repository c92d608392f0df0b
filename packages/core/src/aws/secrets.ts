import { GetSecretValueCommand, type SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { MassIngestError } from "../errors.js";
import { createSecretsClientFactory, type AwsClientOptions } from "./clients.js";
import { awsErrorName, credentialsErrorFrom } from "./errors.js";

/** A Secrets Manager reference in the form ECS / Batch accept in `valueFrom`. */
export interface SecretReference {
  /** The secret's ARN without the `:json-key:version-stage:version-id` suffix (what SecretId takes). */
  arn: string;
  partition: string;
  region: string;
  accountId: string;
  /** Secret name as written in the ARN (may end in the 6-character random suffix). */
  name: string;
  jsonKey?: string;
  versionStage?: string;
  versionId?: string;
}

const ARN_RE = /^arn:(aws[a-z-]*):secretsmanager:([a-z0-9-]+):(\d{12}):secret:([^:]+)(?::([^:]*))?(?::([^:]*))?(?::([^:]*))?$/;

/**
 * Parse "arn:aws:secretsmanager:REGION:ACCT:secret:NAME[-xxxxxx][:json-key:version-stage:version-id]"
 * (ECS valueFrom form; empty fields allowed, e.g. `...:secret:db::AWSPREVIOUS:`).
 * Returns undefined when the value is not a Secrets Manager ARN: use the value as is.
 */
export function parseSecretReference(value: string): SecretReference | undefined {
  const m = ARN_RE.exec(value.trim());
  if (!m) return undefined;
  const [, partition, region, accountId, name, jsonKey, versionStage, versionId] = m as unknown as string[];
  const ref: SecretReference = {
    arn: `arn:${partition}:secretsmanager:${region}:${accountId}:secret:${name}`,
    partition: partition!,
    region: region!,
    accountId: accountId!,
    name: name!,
  };
  if (jsonKey) ref.jsonKey = jsonKey;
  if (versionStage) ref.versionStage = versionStage;
  if (versionId) ref.versionId = versionId;
  return ref;
}

function toReference(ref: string | SecretReference): SecretReference {
  if (typeof ref !== "string") return ref;
  const parsed = parseSecretReference(ref);
  if (parsed) return parsed;
  // A plain name or partial ARN: Secrets Manager accepts it as SecretId.
  return { arn: ref, partition: "", region: "", accountId: "", name: ref };
}

function describeRef(ref: SecretReference): string {
  return `secret "${ref.name}"${ref.region ? ` in ${ref.region}` : ""}`;
}

/** A Secrets Manager error as a MassIngestError naming the secret and the setting that refers to it. */
export function secretError(error: unknown, ref: SecretReference, operation: string, setting?: string): MassIngestError {
  const credentials = credentialsErrorFrom(error, operation);
  const where = setting ? ` (referenced by ${setting})` : "";
  if (credentials?.code === "AWS_ACCESS_DENIED") {
    return new MassIngestError("SECRET_ACCESS_DENIED", `Access to ${describeRef(ref)}${where} was denied.`, {
      hint: `Allow secretsmanager:${operation} (and kms:Decrypt for its key) on ${ref.arn} for the role that runs this.`,
      cause: error,
    });
  }
  if (credentials) return credentials;
  const name = awsErrorName(error);
  if (name === "ResourceNotFoundException") {
    return new MassIngestError(
      "SECRET_NOT_FOUND",
      `Secrets Manager has no ${describeRef(ref)}${where}${ref.versionStage || ref.versionId ? ` with the requested version` : ""}.`,
      {
        hint: `Create the secret or fix the reference (${ref.arn}); check the region and account in the ARN.`,
        cause: error,
      },
    );
  }
  return new MassIngestError("SECRET_UNAVAILABLE", `Could not read ${describeRef(ref)}${where}: ${name ?? "error"}.`, {
    hint: "Retry; if it persists, check network access to Secrets Manager.",
    cause: error,
    exitCode: 1,
  });
}

/**
 * Resolve one reference (JSON key / stage / version honoured). Throws MassIngestError with code
 * "SECRET_NOT_FOUND", "SECRET_ACCESS_DENIED", "SECRET_NOT_JSON", "SECRET_JSON_KEY_MISSING",
 * "SECRET_NO_STRING" or "AWS_CREDENTIALS". The secret value never appears in an error.
 */
export async function resolveSecret(ref: string | SecretReference, client: SecretsManagerClient, setting?: string): Promise<string> {
  const r = toReference(ref);
  let secretString: string | undefined;
  try {
    const out = await client.send(
      new GetSecretValueCommand({
        SecretId: r.arn,
        ...(r.versionStage ? { VersionStage: r.versionStage } : {}),
        ...(r.versionId ? { VersionId: r.versionId } : {}),
      }),
    );
    secretString = out.SecretString ?? (out.SecretBinary ? Buffer.from(out.SecretBinary).toString("utf8") : undefined);
  } catch (error) {
    throw secretError(error, r, "GetSecretValue", setting);
  }
  if (secretString === undefined) {
    throw new MassIngestError("SECRET_NO_STRING", `${describeRef(r)} has no value.`, { hint: "Put a SecretString into the secret." });
  }
  if (!r.jsonKey) return secretString;
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretString);
  } catch {
    throw new MassIngestError("SECRET_NOT_JSON", `${describeRef(r)} is not a JSON object, but the reference asks for key "${r.jsonKey}".`, {
      hint: "Store the secret as a JSON object, or drop the :json-key part of the reference.",
    });
  }
  if (typeof parsed !== "object" || parsed === null || !Object.prototype.hasOwnProperty.call(parsed, r.jsonKey)) {
    throw new MassIngestError("SECRET_JSON_KEY_MISSING", `${describeRef(r)} has no JSON key "${r.jsonKey}".`, {
      hint: `Add "${r.jsonKey}" to the secret's JSON, or fix the key in the reference.`,
    });
  }
  const value = (parsed as Record<string, unknown>)[r.jsonKey];
  return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * For each named env var whose value is a Secrets Manager ARN, resolve it; returns a new env map.
 * Plain values (and unset names) pass through. Without a client, one is made per ARN region
 * (honouring AWS_ENDPOINT_URL and friends).
 */
export async function resolveSecretEnv(
  env: Record<string, string | undefined>,
  names: readonly string[],
  client?: SecretsManagerClient,
  options: AwsClientOptions = {},
): Promise<Record<string, string | undefined>> {
  const result: Record<string, string | undefined> = { ...env };
  const factory = createSecretsClientFactory(options);
  try {
    for (const name of names) {
      const value = env[name];
      if (value === undefined) continue;
      const ref = parseSecretReference(value);
      if (!ref) continue;
      result[name] = await resolveSecret(ref, client ?? factory.clientFor(ref.region), name);
    }
  } finally {
    factory.close();
  }
  return result;
}
