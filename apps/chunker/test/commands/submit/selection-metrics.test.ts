import { describe, expect, it } from "vitest";
import { emitSelectionMetrics } from "../../../src/commands/submit/selection-metrics.js";

describe("the selection's metrics", () => {
  it("inside AWS Batch: one EMF line with ReposUnchanged for the run", async () => {
    const lines: string[] = [];
    expect(await emitSelectionMetrics({ runId: "night-9", unchanged: 1234 }, { AWS_BATCH_JOB_ID: "job-1" }, (l) => lines.push(l))).toBe(
      true,
    );
    const emf = lines.map((l) => JSON.parse(l) as Record<string, unknown> & { _aws: { CloudWatchMetrics: { Namespace: string }[] } });
    const unchanged = emf.find((e) => e.ReposUnchanged !== undefined)!;
    expect(unchanged.ReposUnchanged).toBe(1234);
    expect(unchanged.RunId).toBe("night-9");
    expect(unchanged.Partition).toBe("selection");
    expect(unchanged._aws.CloudWatchMetrics[0]!.Namespace).toBe("MassIngest");
  });

  it("elsewhere: nothing", async () => {
    const lines: string[] = [];
    expect(await emitSelectionMetrics({ runId: "r", unchanged: 3 }, {}, (l) => lines.push(l))).toBe(false);
    expect(lines).toEqual([]);
  });
});
