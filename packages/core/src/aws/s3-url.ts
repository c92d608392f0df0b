import { MassIngestError } from "../errors.js";

/** An `s3://bucket/key` URL split into bucket and key (slashes around the key trimmed), or undefined. */
export function parseS3Url(url: string): { bucket: string; key: string } | undefined {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/i.exec(url.trim());
  if (match === null) return undefined;
  return { bucket: match[1] as string, key: (match[2] as string).replace(/^\/+|\/+$/g, "") };
}

/** Like {@link parseS3Url}, but the key must be there; throws MassIngestError "INVALID_SETTING" naming `what`. */
export function requireS3Object(location: string, what = "the csv location"): { bucket: string; key: string } {
  const parsed = parseS3Url(location);
  if (!parsed || parsed.key === "") {
    throw new MassIngestError("INVALID_SETTING", `"${location}" is not an s3://bucket/key location.`, {
      hint: `Write ${what} as s3://bucket/path/to/object.`,
    });
  }
  return parsed;
}
