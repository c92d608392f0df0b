// The Batch look-ups submit makes, against a real moto_server.
import { RegisterJobDefinitionCommand } from "@aws-sdk/client-batch";

import { describe, expect, it } from "vitest";
import { plannedCalls } from "../src/index.js";
import { findJobDefinition } from "../src/aws-calls.js";
import { useBatchMoto } from "./fixtures/batch-env.js";

const t = useBatchMoto();
const plan = t.plan;

describe("job definition lookup", () => {
  // AWS also takes "name:revision" in jobDefinitions; moto only takes ARNs there, so the exact lookup uses the ARN.
  it("finds the latest ACTIVE revision by name and an exact revision by ARN, as plannedCalls says", async () => {
    const first = await findJobDefinition(t.batch, t.env.jobDefinition);
    const { revision, jobDefinitionArn } = first;
    await t.env.client.send(
      new RegisterJobDefinitionCommand({
        jobDefinitionName: t.env.jobDefinition,
        type: "container",
        containerProperties: {
          image: "x",
          command: ["true"],
          resourceRequirements: [
            { type: "VCPU", value: "1" },
            { type: "MEMORY", value: "512" },
          ],
        },
      }),
    );
    expect((await findJobDefinition(t.batch, t.env.jobDefinition)).revision).toBe(revision! + 1);
    expect((await findJobDefinition(t.batch, jobDefinitionArn!)).revision).toBe(revision);
    const calls = plannedCalls(plan(10, 5, { jobDefinition: `${t.env.jobDefinition}:${revision}` }));
    expect(calls.find((c) => c.operation === "batch:DescribeJobDefinitions")?.input).toEqual({
      jobDefinitions: [`${t.env.jobDefinition}:${revision}`],
    });
    expect(plannedCalls(plan(10, 5)).find((c) => c.operation === "batch:DescribeJobDefinitions")?.input).toEqual({
      jobDefinitionName: t.env.jobDefinition,
      status: "ACTIVE",
    });
  });
});
