/**
 * Finds the CloudTrail event a playground call produced: LookupEvents by event name from just before
 * the call, matched on the record's requestID. In demo mode the event is there at once; AWS delivers
 * events to LookupEvents minutes later, so the caller keeps asking.
 */
import { LookupEventsCommand, type CloudTrailClient } from '@aws-sdk/client-cloudtrail';

export interface FoundEvent {
  eventId: string;
  eventName: string;
  eventTime: string;
  username?: string;
  /** The CloudTrail record, parsed. */
  record: Record<string, unknown>;
}

/** Pages LookupEvents (≤ 3 pages of 50: the API allows 2 requests/s) and returns the event whose requestID matches, or null. */
export async function findCallEvent(cloudtrail: CloudTrailClient, query: { eventName: string; requestId: string; since: number }): Promise<FoundEvent | null> {
  let token: string | undefined;
  for (let page = 0; page < 3; page++) {
    const out = await cloudtrail.send(
      new LookupEventsCommand({
        LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: query.eventName }],
        StartTime: new Date(query.since - 60_000),
        MaxResults: 50,
        NextToken: token,
      }),
    );
    for (const event of out.Events ?? []) {
      if (!event.CloudTrailEvent) continue;
      const record = JSON.parse(event.CloudTrailEvent) as Record<string, unknown>;
      if (record.requestID === query.requestId) {
        return {
          eventId: event.EventId ?? String(record.eventID),
          eventName: event.EventName ?? query.eventName,
          eventTime: (event.EventTime ?? new Date(String(record.eventTime))).toISOString(),
          username: event.Username,
          record,
        };
      }
    }
    token = out.NextToken;
    if (!token) break;
  }
  return null;
}
