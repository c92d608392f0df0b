/**
 * @mass-ingest/core/aws: the AWS helpers every package shares: one S3 client factory (one set of region and
 * path-style rules), S3 URLs, AWS error classification, the caller's `aws:userid`, Secrets Manager references, and repos.csv sources
 * (path, s3://, https://).
 */
export { publishAlert } from "./aws/alerts.js";
export { awsClientConfig, createS3Client, createSecretsClient, createSecretsClientFactory, type AwsClientOptions } from "./aws/clients.js";
export { awsErrorName, credentialsErrorFrom, isAccessDenied, isCredentialsError } from "./aws/errors.js";
export { parseS3Url } from "./aws/s3-url.js";
export { csvLocationKind, openCsv, type OpenCsvOptions } from "./aws/csv-source.js";
export { parseSecretReference, resolveSecret, resolveSecretEnv, secretError, type SecretReference } from "./aws/secrets.js";
export { callerUserId } from "./aws/identity.js";
