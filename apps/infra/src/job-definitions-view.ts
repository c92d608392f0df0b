/**
 * The synthesized job definitions, read back from the Terraform JSON exactly as `cdktf deploy` would register
 * them. The coherence test uses this to run the real chunker and processor with the deployed command lines.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Testing } from "cdktf";
import { parseDeploymentConfig } from "./config/load.js";
import type { DeploymentConfig, DeploymentConfigInput } from "./config/schema.js";
import { MassIngestStack } from "./stack.js";

/** One synthesized job definition. Terraform references stay as `${aws_....arn}` strings. */
export interface SynthesizedJobDefinition {
  readonly name: string;
  readonly command: string[];
  /** Parameter defaults (`Ref::name` values when a submit leaves them out). */
  readonly parameters: Record<string, string>;
  /** Plain environment variables, by name. */
  readonly environment: Record<string, string>;
  /** Secrets, environment variable name -> Secrets Manager ARN. */
  readonly secrets: Record<string, string>;
  readonly vcpus: number;
  readonly memoryMiB: number;
  readonly timeoutSeconds: number;
  readonly image: string;
}

export interface SynthesizedJobDefinitions {
  readonly processor: SynthesizedJobDefinition;
  readonly chunk: SynthesizedJobDefinition;
  /** The run report job (when the stack has a state store and `report.enabled`). */
  readonly report?: SynthesizedJobDefinition;
  /** The whole synthesized stack, parsed. */
  readonly terraform: Record<string, unknown>;
}

interface ContainerPropertiesJson {
  image: string;
  command: string[];
  environment?: { name: string; value: string }[];
  secrets?: { name: string; valueFrom: string }[];
  resourceRequirements: { type: string; value: string }[];
}

interface JobDefinitionJson {
  name: string;
  parameters?: Record<string, string>;
  container_properties: string;
  timeout?: { attempt_duration_seconds: number };
}

/** Values for the Terraform references in the job definitions' environment (what AWS would assign). */
export interface JobDefinitionReferences {
  /** Replaces `${aws_batch_job_queue.<id>.arn}` (the chunk job's JOB_QUEUE). */
  readonly jobQueueArn?: string;
  /** Replaces `${aws_batch_job_definition.<processor>.arn}` (the chunk job's JOB_DEFINITION). */
  readonly processorJobDefinitionArn?: string;
}

/**
 * Synthesizes the stack for `config` (raw input: validated first; or an already validated config) and returns
 * the processor, chunk (and report) job definitions: command, parameters, environment, secrets, sizes. With `references`,
 * the queue and processor job definition references in the environment are replaced by those values (e.g. the
 * ARNs moto_server assigned), so the environment can be passed to the real apps as is.
 */
export function synthesizeJobDefinitions(
  config: DeploymentConfigInput | DeploymentConfig,
  references: JobDefinitionReferences = {},
): SynthesizedJobDefinitions {
  const validated = parseDeploymentConfig(config);
  // The app writes nothing here (Testing.synth renders in memory), but cdktf creates the folder: remove it again.
  const outdir = mkdtempSync(join(tmpdir(), "cdktf.outdir."));
  let stack: MassIngestStack;
  let terraform: { resource: { aws_batch_job_definition: Record<string, JobDefinitionJson> } };
  try {
    stack = new MassIngestStack(Testing.app({ outdir }), "job-definitions", validated);
    terraform = JSON.parse(Testing.synth(stack)) as typeof terraform;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
  const definitions = Object.values(terraform.resource.aws_batch_job_definition);
  const processorId = Object.entries(terraform.resource.aws_batch_job_definition).find(
    ([, d]) => d.name === stack.context.names.processorJobDefinition,
  )?.[0];
  const resolve = (value: string): string => {
    if (references.jobQueueArn !== undefined && /^\$\{aws_batch_job_queue\.[^.]+\.arn\}$/.test(value)) return references.jobQueueArn;
    if (references.processorJobDefinitionArn !== undefined && value === `\${aws_batch_job_definition.${processorId}.arn}`)
      return references.processorJobDefinitionArn;
    return value;
  };
  const find = (name: string): SynthesizedJobDefinition => {
    const def = definitions.find((d) => d.name === name);
    if (def === undefined) throw new Error(`job definition ${name} was not synthesized`);
    const result = view(def);
    return { ...result, environment: Object.fromEntries(Object.entries(result.environment).map(([k, v]) => [k, resolve(v)])) };
  };
  return {
    processor: find(stack.context.names.processorJobDefinition),
    chunk: find(stack.context.names.chunkJobDefinition),
    ...(stack.runReport === undefined ? {} : { report: find(stack.context.names.reportJobDefinition) }),
    terraform: terraform as unknown as Record<string, unknown>,
  };
}

function view(def: JobDefinitionJson): SynthesizedJobDefinition {
  const props = JSON.parse(def.container_properties) as ContainerPropertiesJson;
  const requirement = (type: string): number => Number(props.resourceRequirements.find((r) => r.type === type)?.value);
  return {
    name: def.name,
    command: props.command,
    parameters: def.parameters ?? {},
    environment: Object.fromEntries((props.environment ?? []).map((e) => [e.name, e.value])),
    secrets: Object.fromEntries((props.secrets ?? []).map((s) => [s.name, s.valueFrom])),
    vcpus: requirement("VCPU"),
    memoryMiB: requirement("MEMORY"),
    timeoutSeconds: def.timeout?.attempt_duration_seconds ?? 0,
    image: props.image,
  };
}
