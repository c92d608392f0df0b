/**
 * Exit codes of the processor and the chunker (and the partition CLI): what a scheduler, a shell script or
 * AWS Batch's retry strategy may rely on.
 */
export const EXIT = {
  /** Everything done. */
  ok: 0,
  /** Some repositories or jobs failed; the others completed. */
  someFailed: 1,
  /** Bad input or configuration: nothing attempted. */
  badInput: 2,
  /** Interrupted by SIGINT: work in flight stopped, report still written. */
  sigint: 130,
  /** Interrupted by SIGTERM (Batch stopping the job, Spot reclaim): work in flight stopped, report still written. */
  sigterm: 143,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The exit code for an interruption by `signal` (130 for SIGINT, 143 otherwise). */
export function exitCodeForSignal(signal: unknown): ExitCode {
  return signal === "SIGINT" ? EXIT.sigint : EXIT.sigterm;
}
