import { openCsv } from "@mass-ingest/core/aws";
import { countRows } from "@mass-ingest/partition";
import { hashingCsv } from "@mass-ingest/state";

/** What a plan records of its csv (and checks again before a run): its row count and sha256, from one read. */
export async function csvIdentity(csv: string): Promise<{ rowCount: number; sha256: string }> {
  const hashed = hashingCsv(await openCsv(csv));
  const rowCount = await countRows(hashed.chunks);
  return { rowCount, sha256: hashed.sha256() };
}
