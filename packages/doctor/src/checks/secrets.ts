import { RESOLVABLE_ENV_NAMES } from "@mass-ingest/contract";
import { describeError } from "@mass-ingest/core";
import { createSecretsClientFactory, parseSecretReference, resolveSecret } from "@mass-ingest/core/aws";
import type { CheckContext, CheckResult } from "../types.js";

export const SECRETS_CHECK = { id: "secrets", title: "secrets" } as const;

type Outcome = Omit<CheckResult, "id" | "title">;

/**
 * Every setting that holds a Secrets Manager ARN resolves, one by one so each failure names its setting. Returns
 * the environment with the resolved values (failed ones removed) and, for the Redactor, every resolved value.
 * Output names settings only, never values.
 */
export async function resolveSecretsCheck(
  context: Pick<CheckContext, "settings" | "options">,
): Promise<{ outcome: Outcome; env: Record<string, string | undefined>; values: string[] }> {
  const env: Record<string, string | undefined> = { ...context.settings.env };
  const references = RESOLVABLE_ENV_NAMES.flatMap((name) => {
    const ref = env[name] === undefined ? undefined : parseSecretReference(env[name] as string);
    return ref ? [{ name, ref }] : [];
  });
  if (references.length === 0) return { outcome: { status: "pass", detail: "no setting refers to Secrets Manager" }, env, values: [] };
  const values: string[] = [];
  const resolved: string[] = [];
  const failures: string[] = [];
  const hints = new Set<string>();
  const clients = createSecretsClientFactory(context.options.aws ?? {});
  try {
    for (const { name, ref } of references) {
      try {
        const value = await resolveSecret(ref, clients.clientFor(ref.region), name);
        env[name] = value;
        values.push(value);
        resolved.push(name);
      } catch (error) {
        delete env[name];
        const e = describeError(error);
        failures.push(`${name}: ${e.code ?? "error"}`);
        if (e.hint) hints.add(e.hint);
      }
    }
  } finally {
    clients.close();
  }
  if (failures.length === 0)
    return { outcome: { status: "pass", detail: `${resolved.length} resolved: ${resolved.join(", ")}` }, env, values };
  return {
    outcome: {
      status: "fail",
      detail: `${failures.length} of ${references.length} did not resolve: ${failures.join(", ")}${resolved.length ? `; resolved: ${resolved.join(", ")}` : ""}`,
      fix: [...hints].join(" ") || "Check the ARNs, the region and the role's secretsmanager:GetSecretValue permission.",
    },
    env,
    values,
  };
}
