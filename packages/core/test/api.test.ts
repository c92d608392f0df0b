import { expect, it } from "vitest";

it("@mass-ingest/core exports exactly these names", async () => {
  expect(Object.keys(await import("../src/index.js")).sort()).toEqual([
    "MassIngestError",
    "ProcessGroups",
    "Redactor",
    "abortWindow",
    "createLogger",
    "describeError",
    "exitCodeOf",
    "findWorkspaceRoot",
    "maskUserInfo",
    "parseDuration",
    "quietAwsSdkNodeWarning",
    "redactUrl",
    "resolveDataDir",
    "runCli",
    "splitUserInfo",
    "stripUserInfo",
  ]);
});

it("@mass-ingest/core/aws exports exactly these names", async () => {
  expect(Object.keys(await import("../src/aws.js")).sort()).toEqual([
    "awsClientConfig",
    "awsErrorName",
    "callerUserId",
    "createS3Client",
    "createSecretsClient",
    "createSecretsClientFactory",
    "credentialsErrorFrom",
    "csvLocationKind",
    "isAccessDenied",
    "isCredentialsError",
    "openCsv",
    "parseS3Url",
    "parseSecretReference",
    "publishAlert",
    "resolveSecret",
    "resolveSecretEnv",
    "secretError",
  ]);
});
