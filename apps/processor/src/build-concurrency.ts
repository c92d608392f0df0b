import { readFileSync } from "node:fs";
import os from "node:os";

const GIB = 1024 ** 3;
/** Memory one build may take: the CLI's JVM plus the Maven or Gradle daemons it starts. */
const BUILD_MEMORY_BYTES = 8 * GIB;
/** cgroup v2: the container's memory limit ("max" when unlimited). */
const CGROUP_MEMORY_MAX = "/sys/fs/cgroup/memory.max";

/** How much memory the processor's builds share, and where that figure came from. */
export interface HostMemory {
  bytes: number;
  source: "cgroup memory.max" | "total memory";
}

/** The container's memory limit (cgroup v2 memory.max) when there is one below the machine's, else the machine's. */
export function hostMemory(
  read: (file: string) => string = (file) => readFileSync(file, "utf8"),
  total: number = os.totalmem(),
): HostMemory {
  try {
    const raw = read(CGROUP_MEMORY_MAX).trim();
    if (/^\d+$/.test(raw) && Number(raw) < total) return { bytes: Number(raw), source: "cgroup memory.max" };
  } catch {
    // no cgroup v2 (or not readable): the machine's memory
  }
  return { bytes: total, source: "total memory" };
}

/** The -Xmx of JVM options in bytes (`-Xmx4g`, `-Xmx4096m`, `-Xmx4G`, `-Xmx4294967296`), or undefined. */
export function maxHeapBytes(javaOptions: string | undefined): number | undefined {
  const match = /(?:^|\s)-Xmx(\d+)([kKmMgGtT]?)(?=\s|$)/.exec(javaOptions ?? "");
  if (!match) return undefined;
  const unit = { "": 1, k: 1024, m: 1024 ** 2, g: GIB, t: 1024 * GIB }[match[2]!.toLowerCase() as "" | "k" | "m" | "g" | "t"];
  return Number(match[1]) * unit;
}

/** The default BUILD_CONCURRENCY and how it was derived (logged at start). */
export interface DerivedBuildConcurrency {
  build: number;
  memoryBytes: number;
  memorySource: HostMemory["source"];
  perBuildBytes: number;
  reason: string;
}

const gib = (bytes: number) => `${(bytes / GIB).toFixed(1)} GiB`;

/**
 * One build per 8 GiB of the container's memory, or per twice the CLI's -Xmx when that is more (the CLI's JVM
 * plus the build tool daemons it starts); at least one.
 */
export function deriveBuildConcurrency(memory: HostMemory, javaOptions: string | undefined): DerivedBuildConcurrency {
  const heap = maxHeapBytes(javaOptions);
  const perBuildBytes = Math.max(BUILD_MEMORY_BYTES, heap ? 2 * heap : 0);
  const build = Math.max(1, Math.floor(memory.bytes / perBuildBytes));
  const per = heap && 2 * heap > BUILD_MEMORY_BYTES ? `2 x -Xmx ${gib(heap)}` : "8 GiB";
  return {
    build,
    memoryBytes: memory.bytes,
    memorySource: memory.source,
    perBuildBytes,
    reason: `${gib(memory.bytes)} (${memory.source}) / ${gib(perBuildBytes)} per build (${per}) = ${build}`,
  };
}
