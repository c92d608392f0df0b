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
import { awsClientConfig, type AwsClientOptions } from "@mass-ingest/core/aws";

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

/**
 * The real Batch client: SDK v3 with the adaptive retry mode (client-side rate limiting on throttling, 10
 * attempts unless `maxAttempts` says otherwise), counting its calls. Honours `endpoint` and the standard AWS
 * environment (AWS_REGION, AWS_PROFILE, AWS_ENDPOINT_URL, ...).
 */
export function createBatchApi(options: AwsClientOptions & { client?: BatchClient } = {}): BatchApi {
  const client =
    options.client ?? new BatchClient({ ...awsClientConfig(options), retryMode: "adaptive", maxAttempts: options.maxAttempts ?? 10 });
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
    describeJobDefinitions: (input) => (count("DescribeJobDefinitions"), client.send(new DescribeJobDefinitionsCommand(input))),
  };
}
