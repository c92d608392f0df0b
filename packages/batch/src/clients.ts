import {
  BatchClient,
  DescribeJobDefinitionsCommand,
  DescribeJobQueuesCommand,
  DescribeJobsCommand,
  ListJobsCommand,
  SubmitJobCommand,
  type DescribeJobDefinitionsCommandInput,
  type DescribeJobDefinitionsCommandOutput,
  type DescribeJobQueuesCommandInput,
  type DescribeJobQueuesCommandOutput,
  type DescribeJobsCommandInput,
  type DescribeJobsCommandOutput,
  type ListJobsCommandInput,
  type ListJobsCommandOutput,
  type SubmitJobCommandInput,
  type SubmitJobCommandOutput,
} from "@aws-sdk/client-batch";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { S3Client } from "@aws-sdk/client-s3";

/** Settings every AWS client here honours; unset fields fall back to the standard AWS environment
 *  (AWS_REGION, AWS_PROFILE, AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE>, ...). */
export interface AwsClientOptions {
  /** Endpoint override, e.g. a moto_server URL. */
  endpoint?: string;
  region?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** SDK retry attempts (default 10 for Batch, SDK default elsewhere). */
  maxAttempts?: number;
}

/** The AWS Batch calls this package makes: a small interface with one real implementation ({@link createBatchApi}). */
export interface BatchApi {
  submitJob(input: SubmitJobCommandInput): Promise<SubmitJobCommandOutput>;
  listJobs(input: ListJobsCommandInput): Promise<ListJobsCommandOutput>;
  describeJobs(input: DescribeJobsCommandInput): Promise<DescribeJobsCommandOutput>;
  describeJobQueues(input: DescribeJobQueuesCommandInput): Promise<DescribeJobQueuesCommandOutput>;
  describeJobDefinitions(input: DescribeJobDefinitionsCommandInput): Promise<DescribeJobDefinitionsCommandOutput>;
  /** API calls made so far, by operation name (for reports and benchmarks). */
  readonly calls: Readonly<Record<string, number>>;
}

function common(options: AwsClientOptions) {
  return {
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.region ? { region: options.region } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  };
}

/**
 * The real Batch client: SDK v3 with the adaptive retry mode (client-side rate limiting on throttling),
 * counting its calls.
 */
export function createBatchApi(options: AwsClientOptions & { client?: BatchClient } = {}): BatchApi {
  const client =
    options.client ??
    new BatchClient({ ...common(options), retryMode: "adaptive", maxAttempts: options.maxAttempts ?? 10 });
  const calls: Record<string, number> = {};
  const count = (op: string) => {
    calls[op] = (calls[op] ?? 0) + 1;
  };
  return {
    calls,
    submitJob: (input) => (count("SubmitJob"), client.send(new SubmitJobCommand(input))),
    listJobs: (input) => (count("ListJobs"), client.send(new ListJobsCommand(input))),
    describeJobs: (input) => (count("DescribeJobs"), client.send(new DescribeJobsCommand(input))),
    describeJobQueues: (input) => (count("DescribeJobQueues"), client.send(new DescribeJobQueuesCommand(input))),
    describeJobDefinitions: (input) => (
      count("DescribeJobDefinitions"), client.send(new DescribeJobDefinitionsCommand(input))
    ),
  };
}

/** A Secrets Manager client honouring `endpoint` and the standard AWS environment. */
export function createSecretsClient(options: AwsClientOptions = {}): SecretsManagerClient {
  return new SecretsManagerClient({ ...common(options), ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}) });
}

/** An S3 client honouring `endpoint` and the standard AWS environment; path-style addressing when an endpoint is overridden. */
export function createS3Client(options: AwsClientOptions = {}): S3Client {
  const customEndpoint = options.endpoint ?? process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL;
  return new S3Client({
    ...common(options),
    ...(customEndpoint ? { forcePathStyle: true } : {}),
    ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
  });
}

/** Secrets Manager clients per region (for the secret check of a job definition), closed together. */
export function createSecretsClientFactory(options: AwsClientOptions = {}): {
  clientFor: (region: string) => SecretsManagerClient;
  close: () => void;
} {
  const clients = new Map<string, SecretsManagerClient>();
  return {
    clientFor(region) {
      // The ARN's region wins unless a region is forced (an endpoint override serves one region).
      const key = options.region ?? region;
      let c = clients.get(key);
      if (!c) {
        c = createSecretsClient({ ...options, ...(key ? { region: key } : {}) });
        clients.set(key, c);
      }
      return c;
    },
    close() {
      for (const c of clients.values()) c.destroy();
      clients.clear();
    },
  };
}
