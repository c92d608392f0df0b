/** Why a log upload may start no further attempt: the run was stopped (first SIGTERM), or its deadline passed. */
export function whyNoRetry(stop: AbortSignal | undefined, deadline: number | undefined): string | undefined {
  if (stop?.aborted) return `the run was stopped (${typeof stop.reason === "string" ? stop.reason : "aborted"})`;
  if (deadline !== undefined && Date.now() >= deadline) return `the run's deadline ${new Date(deadline).toISOString()} has passed`;
  return undefined;
}
