/**
 * A key's recent CloudTrail events (LookupEvents by ResourceName = the key's ARN), newest first. KMS
 * calls are management events, so the last 90 days are there without a trail.
 */
import 'server-only';
import { LookupEventsCommand, type CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { ActivityEvent, ActivityFilter, ActivityPage } from './key-detail-types';
import { withThrottleRetry } from './throttle-retry';

/** Control-plane reads (the console's own page loads among them), hidden by the default filter. */
const METADATA_READ = /^(Describe|Get|List)/;

export function keepEvent(event: ActivityEvent, filter: ActivityFilter): boolean {
  if (filter === 'changes') return !event.readOnly;
  if (filter === 'no-reads') return !METADATA_READ.test(event.name);
  return true;
}

interface RecordFields {
  userIdentity?: { arn?: string };
  sourceIPAddress?: string;
  errorCode?: string;
  errorMessage?: string;
}

export function eventFrom(raw: { EventId?: string; EventTime?: Date; EventName?: string; Username?: string; ReadOnly?: string; CloudTrailEvent?: string }): ActivityEvent {
  let record: RecordFields = {};
  try {
    record = JSON.parse(raw.CloudTrailEvent ?? '{}') as RecordFields;
  } catch {
    // An unreadable record still has the summary fields.
  }
  return {
    id: raw.EventId ?? '',
    at: raw.EventTime?.getTime() ?? 0,
    name: raw.EventName ?? '',
    caller: record.userIdentity?.arn ?? raw.Username ?? '',
    sourceIp: record.sourceIPAddress,
    errorCode: record.errorCode,
    errorMessage: record.errorMessage,
    readOnly: raw.ReadOnly === 'true',
  };
}

export interface ActivityOptions {
  nextToken?: string;
  filter?: ActivityFilter;
  /** Events wanted per page. */
  pageSize?: number;
  /**
   * LookupEvents requests per page at most: LookupEvents allows 2 requests/s and one lookup attribute, so a
   * filter is applied here, over a bounded number of 50-event pages.
   */
  maxRequests?: number;
}

export async function listKeyActivity(cloudtrail: CloudTrailClient, keyArn: string, options: ActivityOptions = {}): Promise<ActivityPage> {
  const { filter = 'all', pageSize = 20, maxRequests = 4 } = options;
  const events: ActivityEvent[] = [];
  let token = options.nextToken;
  for (let request = 0; request < maxRequests; request++) {
    const out = await withThrottleRetry(() =>
      cloudtrail.send(
        new LookupEventsCommand({
          LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: keyArn }],
          // Unfiltered, a page is exactly what is shown, so the next token resumes right after it.
          MaxResults: filter === 'all' ? pageSize : 50,
          NextToken: token,
        }),
      ),
    );
    token = out.NextToken;
    for (const raw of out.Events ?? []) {
      const event = eventFrom(raw);
      if (keepEvent(event, filter)) events.push(event);
    }
    if (!token || events.length >= pageSize) break;
  }
  return { events, nextToken: token };
}
