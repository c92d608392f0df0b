import { readFileSync } from "node:fs";
import os from "node:os";
import { BUILD_MEMORY_MIB, deriveBuildConcurrency as deriveFromMemory, maxHeapMiB } from "@mass-ingest/contract";

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;
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
  const mib = maxHeapMiB(javaOptions);
  return mib === undefined ? undefined : Math.round(mib * MIB);
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

/** The contract's deriveBuildConcurrency applied to the memory the processor found, with the figures for the log. */
export function deriveBuildConcurrency(memory: HostMemory, javaOptions: string | undefined): DerivedBuildConcurrency {
  const { build, perBuildMiB, heapMiB } = deriveFromMemory(memory.bytes / MIB, javaOptions);
  const perBuildBytes = perBuildMiB * MIB;
  const per = heapMiB !== undefined && 2 * heapMiB > BUILD_MEMORY_MIB ? `2 x -Xmx ${gib(heapMiB * MIB)}` : "8 GiB";
  return {
    build,
    memoryBytes: memory.bytes,
    memorySource: memory.source,
    perBuildBytes,
    reason: `${gib(memory.bytes)} (${memory.source}) / ${gib(perBuildBytes)} per build (${per}) = ${build}`,
  };
}
