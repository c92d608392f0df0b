import { DescribeSecretCommand, type SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { JobDefinition } from "@aws-sdk/client-batch";
import { parseSecretReference, secretError, type SecretReference } from "@mass-ingest/core/aws";

/** One secret a job definition references. */
export interface JobDefinitionSecret {
  /** Env var name in the container. */
  name: string;
  /** The `valueFrom` (or env value) as written. */
  valueFrom: string;
  /** Parsed when it is a Secrets Manager ARN; SSM parameters are listed but not checked. */
  reference?: SecretReference;
  source: "secrets" | "environment";
}

/** Every Secrets Manager reference a job definition makes: `secrets[].valueFrom` and env values that are ARNs. */
export function secretsOfJobDefinition(def: JobDefinition): JobDefinitionSecret[] {
  const containers = [
    def.containerProperties,
    ...(def.nodeProperties?.nodeRangeProperties ?? []).map((n) => n.container),
    ...(def.ecsProperties?.taskProperties ?? []).flatMap((t) => t.containers ?? []),
  ].filter((c): c is NonNullable<typeof c> => c !== undefined);
  const out: JobDefinitionSecret[] = [];
  for (const c of containers) {
    for (const s of c.secrets ?? []) {
      if (!s.name || !s.valueFrom) continue;
      const reference = parseSecretReference(s.valueFrom);
      out.push({ name: s.name, valueFrom: s.valueFrom, source: "secrets", ...(reference ? { reference } : {}) });
    }
    for (const e of c.environment ?? []) {
      const reference = e.value ? parseSecretReference(e.value) : undefined;
      if (e.name && e.value && reference) out.push({ name: e.name, valueFrom: e.value, source: "environment", reference });
    }
  }
  return out;
}

/**
 * Check that every Secrets Manager secret the job definition references can be described (DescribeSecret,
 * no values read). Throws MassIngestError "SECRET_NOT_FOUND" naming the env var and the secret that is missing
 * (or "SECRET_ACCESS_DENIED", "AWS_CREDENTIALS"). Returns the references checked.
 */
export async function checkJobDefinitionSecrets(
  def: JobDefinition,
  clientFor: (region: string) => SecretsManagerClient,
): Promise<JobDefinitionSecret[]> {
  const secrets = secretsOfJobDefinition(def);
  for (const s of secrets) {
    if (!s.reference) continue;
    try {
      await clientFor(s.reference.region).send(new DescribeSecretCommand({ SecretId: s.reference.arn }));
    } catch (error) {
      throw secretError(error, s.reference, "DescribeSecret", `${s.name} in job definition ${def.jobDefinitionName ?? ""}`);
    }
  }
  return secrets;
}
