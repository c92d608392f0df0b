import { CHUNKER_ENV } from "@mass-ingest/contract";
import { duration } from "../../duration.js";
import { FLAG_DEFAULTS } from "../flag-defaults.js";
import { z } from "zod";
import { parseSettings, wholeNumber } from "../../settings.js";
import { stateLocation } from "../../state/location.js";

/** vCPUs of one processor container: the processor job definition's default (apps/infra `processor.vcpus`). */
export const DEFAULT_PROCESSOR_VCPUS = FLAG_DEFAULTS.vcpus;

/** The flags of `report` as commander hands them over. */
export interface ReportFlags {
  state?: string;
  out?: string;
  trends?: string;
  pricePerVcpuHour?: string;
  vcpus?: string;
  freshnessTarget?: string;
  json?: boolean;
}

const RUN_ID = /^(latest|[A-Za-z0-9][A-Za-z0-9._-]{0,127})$/;

const reportSchema = z.object({
  runId: z.string().refine((v) => RUN_ID.test(v) && !v.includes(".."), {
    message: 'The run id must be "latest" or a run id of the state store (letters, digits, ".", "_", "-").',
    params: { code: "INVALID_SETTING", hint: "Pass a run id that submit printed, or leave it out for the latest run." },
  }),
  state: z.string({
    error: () => ({
      message: `No state store: pass --state or set ${CHUNKER_ENV.stateUrl.name}.`,
      params: { code: "MISSING_SETTING", hint: "e.g. --state s3://bucket/mass-ingest/state" },
    }),
  }),
  out: z.string().optional(),
  trends: wholeNumber("--trends", undefined, FLAG_DEFAULTS.trends),
  vcpus: wholeNumber("--vcpus", undefined, DEFAULT_PROCESSOR_VCPUS),
  freshnessTargetMs: duration("--freshness-target", FLAG_DEFAULTS.freshnessTarget, 1),
  pricePerVcpuHour: z
    .string()
    .optional()
    .refine((v) => v === undefined || (/^\d+(\.\d+)?$/.test(v) && Number.isFinite(Number(v))), {
      message: "--price-per-vcpu-hour must be a price in USD such as 0.0464.",
      params: { code: "INVALID_SETTING", hint: "Pass e.g. --price-per-vcpu-hour 0.04 (On-Demand or Spot price of one vCPU-hour)." },
    })
    .transform((v) => (v === undefined ? undefined : Number(v))),
  json: z.boolean(),
});

/** Everything `report` acts on, validated. */
export type ReportSettings = z.output<typeof reportSchema>;

/** Flags + environment -> the one validated settings object of `report` (MassIngestError, exit 2, when wrong). */
export function reportSettings(
  runId: string | undefined,
  flags: ReportFlags,
  env: Readonly<Record<string, string | undefined>>,
  cwd = process.cwd(),
): ReportSettings {
  const state = stateLocation(flags.state, env, true, cwd);
  return parseSettings(reportSchema, {
    runId: runId ?? "latest",
    state,
    out: flags.out,
    trends: flags.trends,
    vcpus: flags.vcpus,
    freshnessTargetMs: flags.freshnessTarget,
    pricePerVcpuHour: flags.pricePerVcpuHour,
    json: flags.json === true,
  } as z.input<typeof reportSchema>);
}
