/**
 * The ECS tasks AWS Batch ran for one array child (`DescribeJobs` on `<arrayJobId>:<index>`): the task of each
 * attempt (`attempts[].container.taskArn`) and of the current one (`container.taskArn`). A processor's role
 * session is named after its task (`aws:userid` = `<role-id>:<task-id>`), so these ids say which sessions may have
 * written the child's result record (docs/security.md, "Scoping each array child's result writes"). Pure.
 */
import type { JobDetail } from "@aws-sdk/client-batch";

/** The task id of an ECS task ARN (`arn:aws:ecs:<region>:<account>:task/<cluster>/<id>` or the old `task/<id>`). */
export function taskIdOfArn(arn: string): string | undefined {
  const m = /^arn:[^:]+:ecs:[^:]*:\d*:task\/(?:[^/]+\/)?([A-Za-z0-9-]+)$/.exec(arn.trim());
  return m?.[1];
}

/** Every task id AWS Batch ran for this child job, oldest attempt first, each once. */
export function childTaskIds(job: Pick<JobDetail, "attempts" | "container">): string[] {
  const arns = [...(job.attempts ?? []).map((a) => a.container?.taskArn), job.container?.taskArn];
  const ids = arns.map((arn) => (arn ? taskIdOfArn(arn) : undefined)).filter((id): id is string => id !== undefined);
  return [...new Set(ids)];
}
