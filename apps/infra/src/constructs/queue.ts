import { BatchJobQueue } from "@cdktf/provider-aws/lib/batch-job-queue/index.js";
import { Construct } from "constructs";

export interface QueueProps {
  readonly name: string;
  readonly computeEnvironmentArn: string;
}

/** The job queue both the chunk job and the processor jobs run in. */
export class Queue extends Construct {
  readonly jobQueue: BatchJobQueue;

  constructor(scope: Construct, id: string, props: QueueProps) {
    super(scope, id);
    this.jobQueue = new BatchJobQueue(this, "job-queue", {
      name: props.name,
      state: "ENABLED",
      priority: 1,
      computeEnvironmentOrder: [{ order: 1, computeEnvironment: props.computeEnvironmentArn }],
    });
  }
}
