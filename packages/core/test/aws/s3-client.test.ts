import { describe, expect, it } from "vitest";
import { createS3Client, parseS3Url } from "../../src/aws.js";
import { requireS3Object } from "../../src/aws/s3-url.js";

describe("the one S3 client factory", () => {
  it("region: the option, else AWS_REGION / AWS_DEFAULT_REGION, else us-east-1", async () => {
    expect(await createS3Client({ region: "eu-west-1" }, { AWS_REGION: "us-west-2" }).config.region()).toBe("eu-west-1");
    expect(await createS3Client({}, { AWS_REGION: "us-west-2", AWS_DEFAULT_REGION: "ap-south-1" }).config.region()).toBe("us-west-2");
    expect(await createS3Client({}, { AWS_DEFAULT_REGION: "ap-south-1" }).config.region()).toBe("ap-south-1");
    expect(await createS3Client({}, {}).config.region()).toBe("us-east-1");
  });

  it("path-style addressing whenever the endpoint is overridden (option or environment)", () => {
    expect(createS3Client({ endpoint: "http://127.0.0.1:9000" }, {}).config.forcePathStyle).toBe(true);
    expect(createS3Client({}, { AWS_ENDPOINT_URL_S3: "http://127.0.0.1:9000" }).config.forcePathStyle).toBe(true);
    expect(createS3Client({}, { AWS_ENDPOINT_URL: "http://127.0.0.1:9000" }).config.forcePathStyle).toBe(true);
    expect(createS3Client({}, {}).config.forcePathStyle).toBeFalsy();
  });
});

describe("S3 URLs", () => {
  it("parses bucket and key, trimming slashes around the key", () => {
    expect(parseS3Url("s3://bucket/a/b.csv")).toEqual({ bucket: "bucket", key: "a/b.csv" });
    expect(parseS3Url("s3://bucket/prefix/")).toEqual({ bucket: "bucket", key: "prefix" });
    expect(parseS3Url("s3://bucket")).toEqual({ bucket: "bucket", key: "" });
    expect(parseS3Url("https://bucket/x")).toBeUndefined();
  });

  it("requireS3Object names the setting when the key is missing", () => {
    expect(requireS3Object("s3://b/k.csv")).toEqual({ bucket: "b", key: "k.csv" });
    expect(() => requireS3Object("s3://b/", "--state")).toThrow(/not an s3:\/\/bucket\/key location/);
    try {
      requireS3Object("s3://b/", "--state");
    } catch (e) {
      expect((e as { code: string; hint: string }).code).toBe("INVALID_SETTING");
      expect((e as { hint: string }).hint).toContain("--state");
    }
  });
});
