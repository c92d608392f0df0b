import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { awsClientConfig, type AwsClientOptions } from "./clients.js";
import { credentialsErrorFrom } from "./errors.js";

/**
 * The caller's `aws:userid` (STS GetCallerIdentity's `UserId`; the call needs no permission): for an assumed role
 * `<role-unique-id>:<session name>`, and an ECS task role's session is named after the task. Region: the option,
 * else AWS_REGION / AWS_DEFAULT_REGION, else us-east-1; endpoint: the option, else AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL of `env`.
 */
export async function callerUserId(
  options: AwsClientOptions = {},
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<string> {
  const endpoint = options.endpoint ?? env.AWS_ENDPOINT_URL_STS ?? env.AWS_ENDPOINT_URL;
  const client = new STSClient({
    ...awsClientConfig({ ...options, ...(endpoint ? { endpoint } : {}) }),
    region: options.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? "us-east-1",
    // a private subnet without an STS endpoint must not hold the processor up for long
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 10_000 },
  });
  try {
    const out = await client.send(new GetCallerIdentityCommand({}));
    return out.UserId ?? "";
  } catch (error) {
    throw credentialsErrorFrom(error, "sts:GetCallerIdentity") ?? error;
  } finally {
    client.destroy();
  }
}
