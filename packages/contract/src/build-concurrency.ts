/**
 * The one rule for how many builds a processor container runs at once (BUILD_CONCURRENCY when it is not given):
 * one per 8 GiB of the container's memory, or per twice the CLI's -Xmx when that is more (the CLI's JVM plus the
 * build tool daemons it starts); at least one. The infra app sets BUILD_CONCURRENCY of the AWS Batch job
 * definition from `processor.memoryMiB` and `processor.modJavaOptions` with it; the processor applies it to the
 * memory it finds (cgroup limit, else the machine's) when nothing set the variable. Pure.
 */

/** MiB of memory one build may take: the Moderne CLI's JVM plus the Maven or Gradle daemons it starts. */
export const BUILD_MEMORY_MIB = 8192;

const UNIT_MIB: Readonly<Record<string, number>> = { "": 1 / 1024 ** 2, k: 1 / 1024, m: 1, g: 1024, t: 1024 ** 2 };

/** The -Xmx of JVM options in MiB (`-Xmx4g`, `-Xmx4096m`, `-Xmx4G`, `-Xmx4294967296`), or undefined. */
export function maxHeapMiB(javaOptions: string | undefined): number | undefined {
  const match = /(?:^|\s)-Xmx(\d+)([kKmMgGtT]?)(?=\s|$)/.exec(javaOptions ?? "");
  if (!match) return undefined;
  return Number(match[1]) * (UNIT_MIB[(match[2] as string).toLowerCase()] as number);
}

/** How many builds fit in `memoryMiB` with the CLI's `javaOptions`, and the memory one build was given. */
export function deriveBuildConcurrency(
  memoryMiB: number,
  javaOptions: string | undefined,
): { build: number; perBuildMiB: number; heapMiB?: number } {
  const heapMiB = maxHeapMiB(javaOptions);
  const perBuildMiB = Math.max(BUILD_MEMORY_MIB, heapMiB ? 2 * heapMiB : 0);
  const build = Math.max(1, Math.floor(memoryMiB / perBuildMiB));
  return { build, perBuildMiB, ...(heapMiB !== undefined ? { heapMiB } : {}) };
}
