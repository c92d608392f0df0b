/**
 * Which key this processor writes its result record under: an AWS Batch child with an s3:// state store writes
 * under its own role session's per-task key (the only result key its role may write: docs/security.md, "Scoping
 * each array child's result writes"); anything else (a local run, tests, a user's credentials) the plain key.
 */
import { JOB_ID_ENV } from "@mass-ingest/contract";
import type { Logger } from "@mass-ingest/core";
import { callerUserId } from "@mass-ingest/core/aws";
import { isRoleSessionUserId } from "@mass-ingest/state";

type Env = Readonly<Record<string, string | undefined>>;

/** The role session's `aws:userid` (`AROA...:<task-id>`) to write the result record as, or undefined: the plain key. */
export async function resultSession(location: string, env: Env, logger: Logger): Promise<string | undefined> {
  if (!env[JOB_ID_ENV] || !/^s3:\/\//i.test(location.trim())) {
    logger.info({ plan: location }, "result record: the plain key results/p<N>.json (not an AWS Batch child with an s3:// state store)");
    return undefined;
  }
  let userId: string;
  try {
    userId = await callerUserId({}, env);
  } catch (error) {
    logger.warn(
      { error: (error as Error).message },
      "result record: sts:GetCallerIdentity failed; writing the plain key results/p<N>.json",
    );
    return undefined;
  }
  if (isRoleSessionUserId(userId)) {
    logger.info({ userId }, "result record: this task's own key results/by-task/<aws:userid>/p<N>.json");
    return userId;
  }
  logger.info({ userId }, "result record: the plain key results/p<N>.json (the caller is not a role session)");
  return undefined;
}
