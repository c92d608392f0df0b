/**
 * An ECS task role's session as ECS makes it (session name = the task id), made with moto's STS AssumeRole: the
 * environment a processor runs with in AWS Batch, and its `aws:userid` (`<role-id>:<task-id>`) for the simulator.
 */
export async function taskSession(
  endpoint: string,
  roleArn: string,
  task: string,
): Promise<{ env: Record<string, string>; userId: string }> {
  const body = new URLSearchParams({ Action: "AssumeRole", Version: "2011-06-15", RoleArn: roleArn, RoleSessionName: task });
  const res = await fetch(`${endpoint}/`, {
    method: "POST",
    // moto checks no signature by default; the credential scope names the service
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: "AWS4-HMAC-SHA256 Credential=testing/20261203/us-east-1/sts/aws4_request",
    },
    body,
  });
  const xml = await res.text();
  if (res.status !== 200) throw new Error(`sts:AssumeRole on moto: ${res.status} ${xml}`);
  const field = (name: string) => new RegExp(`<${name}>([^<]+)</${name}>`).exec(xml)?.[1] ?? "";
  return {
    env: {
      AWS_ACCESS_KEY_ID: field("AccessKeyId"),
      AWS_SECRET_ACCESS_KEY: field("SecretAccessKey"),
      AWS_SESSION_TOKEN: field("SessionToken"),
    },
    userId: field("AssumedRoleId"),
  };
}
