/** How many KMS keys a client's account holds in its region, counted over every ListKeys page. */
import { paginateListKeys, type KMSClient } from '@aws-sdk/client-kms';

export async function countKeys(kms: KMSClient): Promise<number> {
  let count = 0;
  // 1000 is ListKeys' largest page, so big accounts take few round trips.
  for await (const page of paginateListKeys({ client: kms, pageSize: 1000 }, {})) count += page.Keys?.length ?? 0;
  return count;
}
