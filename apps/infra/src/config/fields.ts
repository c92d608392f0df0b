/** Building blocks of the deployment config schema: field validators whose messages say what to write. */
import { z } from "zod";

/** A Secrets Manager secret ARN with the 6-character suffix AWS adds to the name, optionally `:json-key:stage:version`. */
export const SECRET_ARN =
  /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}(:[^:]*:[^:]*:[^:]*)?$/;
/** An SSM Parameter Store parameter ARN (`parameter/name` or `parameter/path/name`). */
export const SSM_PARAMETER_ARN = /^arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:parameter\/[A-Za-z0-9_.\-/]+$/;
export const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;
export const CIDR = /^(\d{1,3}\.){3}\d{1,3}\/(\d|[12]\d|3[0-2])$/;
export const SCHEDULE = /^(cron\(\S+( \S+){5}\)|rate\(\d+ (minute|minutes|hour|hours|day|days)\)|at\(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\))$/;
export const IMAGE_REPOSITORY = /^[a-z0-9]+([._-][a-z0-9]+)*(:\d+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*(\/[a-z0-9]+([._/-][a-z0-9]+)*)?$/;

/** A string that is there and matches `re`; the message names what it should look like. */
export const text = (what: string, re?: RegExp) => {
  const base = z.string({
    error: (iss) => (iss.input === undefined ? `is missing: set it to ${what}` : `must be a string (${what})`),
  });
  return re === undefined
    ? base.min(1, { error: `must not be empty (${what})` })
    : base.regex(re, { error: `is malformed: expected ${what}` });
};
export const int = (what: string, min: number, max: number) =>
  z
    .number({ error: (iss) => (iss.input === undefined ? `is missing (${what})` : `must be a number (${what})`) })
    .int({ error: `must be a whole number (${what})` })
    .min(min, { error: `must be at least ${min} (${what})` })
    .max(max, { error: `must be at most ${max} (${what})` });
export const bool = () => z.boolean({ error: "must be true or false" });
/** What is wrong with a secret reference, or undefined when it is a full secret ARN or an SSM parameter ARN. */
export function secretArnProblem(value: string): string | undefined {
  if (SECRET_ARN.test(value) || SSM_PARAMETER_ARN.test(value)) return undefined;
  if (/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[^:]+(:[^:]*:[^:]*:[^:]*)?$/.test(value))
    return "is not a full Secrets Manager ARN: it must end in the 6-character suffix AWS adds to the secret name (…:secret:mass-ingest/git-AbCdEf); copy the ARN that `aws secretsmanager describe-secret --secret-id NAME` prints";
  return "is malformed: expected a Secrets Manager secret ARN, arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME-AbCdEf[:json-key::], or an SSM parameter ARN, arn:aws:ssm:REGION:ACCOUNT:parameter/NAME";
}
/** A secret reference: a full Secrets Manager secret ARN or an SSM Parameter Store parameter ARN. */
export const secretArn = () =>
  z
    .string({
      error: (iss) =>
        iss.input === undefined ? "is missing: set it to a Secrets Manager or SSM parameter ARN" : "must be a string (a secret ARN)",
    })
    .superRefine((value, ctx) => {
      const problem = secretArnProblem(value);
      if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem });
    });
export const stringMap = () =>
  z.record(
    z.string().regex(/^[A-Za-z_][A-Za-z0-9_.:/=+@-]*$/, { error: "keys must be plain names" }),
    z.string({ error: "values must be strings" }),
  );

/** s3:// or http(s):// or an absolute path inside the image. */
/** An s3:// object, or a prefix ending in `/` (every object under it). */
export const S3_OBJECT_OR_PREFIX = /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/\S+$/;
export const CSV_LOCATION = /^(s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/\S+|https?:\/\/\S+|\/\S+)$/;
export const PUBLISH_URL = /^(s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/\S*)?|https?:\/\/\S+)$/;
