import { describe, expect, it } from "vitest";
import { parseTaskResultKey, taskRecordProblem, taskResultKey } from "../src/index.js";

const USER_A = "AROAEXAMPLEPROCESSOR1:0f1e2d3c4b5a69788796a5b4c3d2e1f0";
const USER_B = "AROAEXAMPLEPROCESSOR1:a1b2c3d4e5f60718293a4b5c6d7e8f90";

describe("per-task result keys (docs/security.md, scoping each array child's result writes)", () => {
  it("name the writing session below the run's results and parse back, anchored", () => {
    const key = taskResultKey("r1", 3, USER_A);
    expect(key).toBe(`runs/r1/results/by-task/${USER_A}/p3.json`);
    expect(parseTaskResultKey(key)).toEqual({ runId: "r1", partition: 3, userId: USER_A, taskId: "0f1e2d3c4b5a69788796a5b4c3d2e1f0" });
    // IAM's `*` matches "/": task A may write a key that contains task B's prefix further down; it is not B's
    expect(parseTaskResultKey(`runs/r1/results/by-task/${USER_B}/p7.json/results/by-task/${USER_A}/x`)).toBeUndefined();
    expect(parseTaskResultKey(`runs/r1/x/results/by-task/${USER_B}/p7.json`)).toBeUndefined();
    expect(parseTaskResultKey("runs/r1/results/p3.json")).toBeUndefined();
    expect(parseTaskResultKey("runs/r1/results/by-task/AIDAUSER:me/p3.json")).toBeUndefined();
    expect(() => taskResultKey("r1", 3, "task-A/../x")).toThrow(/not a role session's user id/);
  });

  it("a record is admitted only from a task AWS Batch ran for its partition", () => {
    const ran = ["0f1e2d3c4b5a69788796a5b4c3d2e1f0"];
    const mine = parseTaskResultKey(taskResultKey("r1", 3, USER_A))!;
    expect(taskRecordProblem(mine, ran)).toBeUndefined();
    // task B (another partition's child) names partition 3 under its own prefix: IAM allows it, the fold does not
    const forged = parseTaskResultKey(taskResultKey("r1", 3, USER_B))!;
    expect(taskRecordProblem(forged, ran)).toMatch(/written by task a1b2.*which AWS Batch did not run for partition 3 \(it ran 0f1e/);
    expect(taskRecordProblem(mine, [])).toMatch(/AWS Batch ran no task for partition 3/);
    expect(taskRecordProblem(mine, undefined)).toMatch(/ran no task/);
  });
});
