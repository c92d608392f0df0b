/**
 * S3 access, least privilege: read exactly the repos.csv object, write LSTs and ingest logs under exactly the
 * publish prefix. Nothing is granted for locations that are not s3:// URLs.
 */
import { parseS3Url } from "@mass-ingest/core/aws";
import type { PolicyStatement } from "./iam-policy.js";
import { stateObjectArn, type StateLocation } from "./state-location.js";

/**
 * Read the repos.csv object when `csv` is an s3:// URL (both the chunker and every processor read it), and the
 * `additional` csv objects a manual run may name (`s3://bucket/prefix/` = every object under that prefix).
 */
export function csvReadStatements(csv: string, partition: string, additional: readonly string[] = []): PolicyStatement[] {
  const resources = [csv, ...additional].flatMap((url) => {
    const location = parseS3Url(url);
    if (location === undefined || location.key === "") return [];
    const key = url.endsWith("/") ? `${location.key}/*` : location.key;
    return [`arn:${partition}:s3:::${location.bucket}/${key}`];
  });
  if (resources.length === 0) return [];
  return [{ Sid: "ReadReposCsv", Effect: "Allow", Action: ["s3:GetObject"], Resource: [...new Set(resources)] }];
}

/**
 * Write LSTs and ingest logs (`<prefix>/.logs/...`) under the publish prefix when `publishUrl` is an s3:// URL;
 * list only that prefix (the Moderne CLI checks what is already published).
 */
export function lstWriteStatements(publishUrl: string, partition: string): PolicyStatement[] {
  const location = parseS3Url(publishUrl);
  if (location === undefined) return [];
  const bucketArn = `arn:${partition}:s3:::${location.bucket}`;
  const objects = location.key === "" ? `${bucketArn}/*` : `${bucketArn}/${location.key}/*`;
  return [
    {
      Sid: "WriteLsts",
      Effect: "Allow",
      Action: ["s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload"],
      Resource: [objects],
    },
    listPrefixStatement("ListLstPrefix", bucketArn, location.key),
  ];
}

/** List the bucket, only below `prefix` ("" = the whole bucket). */
function listPrefixStatement(sid: string, bucketArn: string, prefix: string): PolicyStatement {
  return {
    Sid: sid,
    Effect: "Allow",
    Action: ["s3:ListBucket"],
    Resource: [bucketArn],
    ...(prefix === "" ? {} : { Condition: { StringLike: { "s3:prefix": [`${prefix}/*`, prefix] } } }),
  };
}

/** Which job uses the state store: each gets exactly what it does there. */
export type StateRole = "chunk" | "processor" | "report";

/**
 * The run-state store, per role. Chunk: read, write (conditional puts) and delete `state.json` and everything
 * under `runs/`, list the prefix. Processor: read its run's manifest and the result records under
 * `runs/<run>/results/`, write only under `runs/<run>/results/by-task/${aws:userid}/` (its own task's prefix). Report: read everything and list the prefix, write `runs/<run>/report.html|json`.
 * With a customer-managed key, the key through S3 only. Nothing when no state store is configured.
 */
export function stateStoreStatements(state: StateLocation | undefined, partition: string, role: StateRole): PolicyStatement[] {
  if (state === undefined) return [];
  const object = (sub: string) => stateObjectArn(state, partition, sub);
  const bucketArn = `arn:${partition}:s3:::${state.bucket}`;
  const list = listPrefixStatement("ListStateStore", bucketArn, state.prefix);
  const statements: PolicyStatement[] =
    role === "chunk"
      ? [
          {
            Sid: "ReadWriteStateStore",
            Effect: "Allow",
            Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
            Resource: [object("state.json"), object("runs/*")],
          },
          list,
        ]
      : role === "processor"
        ? [
            { Sid: "ReadRunManifest", Effect: "Allow", Action: ["s3:GetObject"], Resource: [object("runs/*/manifest.json")] },
            { Sid: "ReadRunResults", Effect: "Allow", Action: ["s3:GetObject"], Resource: [object("runs/*/results/*")] },
            // Each AWS Batch child writes only under its own task's prefix: ECS names a task role's session after
            // the task, so aws:userid is <role-id>:<task-id> (docs/security.md, "Scoping each array child's result
            // writes"). `$$` keeps Terraform from reading `${aws:userid}` as its own interpolation.
            {
              Sid: "WriteOwnTaskResults",
              Effect: "Allow",
              Action: ["s3:PutObject"],
              Resource: [object("runs/*/results/by-task/$${aws:userid}/*")],
            },
          ]
        : [
            { Sid: "ReadStateStore", Effect: "Allow", Action: ["s3:GetObject"], Resource: [object("*")] },
            list,
            {
              Sid: "WriteRunReport",
              Effect: "Allow",
              Action: ["s3:PutObject"],
              Resource: [object("runs/*/report.html"), object("runs/*/report.json")],
            },
          ];
  if (state.kmsKeyArn !== undefined)
    statements.push({
      Sid: "UseStateStoreKey",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: [state.kmsKeyArn],
      Condition: { StringLike: { "kms:ViaService": "s3.*.amazonaws.com" } },
    });
  return statements;
}
