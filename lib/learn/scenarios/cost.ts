/** Scenario 8: what the scenarios just did costs — requests priced from their CloudTrail events, keys by the month. */
import { LookupEventsCommand, type Event } from '@aws-sdk/client-cloudtrail';
import { DescribeKeyCommand, EncryptCommand, ListKeyRotationsCommand, type KeyMetadata } from '@aws-sdk/client-kms';
import { PARTNER_ACCOUNT } from '@/lib/emulator/identities';
import { cliText, cliTwin } from '@/lib/playground/cli';
import { priceClassOf, requestCost, storageCost } from '@/lib/pricing/cost';
import { PRICE_TABLES, tableFor, type PriceClass } from '@/lib/pricing/price-table';
import { toUsageEvent } from '@/lib/usage/event';
import type { StepContext } from '../runtime';
import type { ScenarioDefinition } from '../scenario';
import type { KeyRef, LearnIdentity } from '../types';
import { createScenarioKey } from './helpers';

const CALLS = 12;
const DAY_MS = 86_400_000;
const usd = (n: number) => `$${n < 0.01 && n > 0 ? n.toFixed(6) : n.toFixed(2)}`;
const regionOf = (arn: string) => arn.split(':')[3];
const accountOf = (arn: string) => arn.split(':')[4];
const ownerOf = (arn: string): LearnIdentity => (accountOf(arn) === PARTNER_ACCOUNT ? 'partner' : 'admin');

/** Every CloudTrail event about `key` since `since` (LookupEvents by ResourceName, 50 a page). */
async function eventsOf(ctx: StepContext, key: KeyRef, since: Date): Promise<Event[]> {
  const events: Event[] = [];
  let token: string | undefined;
  for (let page = 0; page < 40; page++) {
    const out = await ctx.clients.cloudtrail(regionOf(key.arn), ownerOf(key.arn)).send(
      new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: key.arn }], StartTime: since, MaxResults: 50, NextToken: token }),
    );
    events.push(...(out.Events ?? []));
    token = out.NextToken;
    if (!token) break;
  }
  return events;
}

/** The learner's keys that still exist, with what pricing needs; keys of a reset scenario (pending deletion) cost nothing. */
async function describe(ctx: StepContext, key: KeyRef): Promise<KeyMetadata | undefined> {
  try {
    const out = await ctx.clients.kms(regionOf(key.arn), ownerOf(key.arn)).send(new DescribeKeyCommand({ KeyId: key.arn }));
    return out.KeyMetadata;
  } catch {
    return undefined;
  }
}

export const cost: ScenarioDefinition = {
  id: 'cost',
  number: 8,
  title: 'What it costs',
  summary: 'Price what the scenarios just did: their requests, found in CloudTrail and priced with the dated price table, and their keys by the month.',
  region: 'us-east-1',
  steps: [
    {
      id: 'traffic',
      title: 'A little traffic of our own',
      what: `CreateKey, then ${CALLS} Encrypt calls — like an application's morning.`,
      why: 'Symmetric requests cost $0.03 per 10,000; the key itself costs $1 a month, prorated by the hour, whether it is used or not.',
      async run(ctx: StepContext) {
        const key = await createScenarioKey(ctx);
        for (let i = 0; i < CALLS; i++) {
          await ctx.call('Encrypt', { KeyId: key.Arn!, Plaintext: new TextEncoder().encode(`order ${1000 + i}`) }, (kms, input) => kms.send(new EncryptCommand(input)), { secretRequest: ['Plaintext'] });
        }
        ctx.set('keyArn', key.Arn!);
        return `${CALLS} Encrypt calls made with ${key.KeyId}.`;
      },
    },
    {
      id: 'requests',
      title: 'Price the requests from CloudTrail',
      what: 'LookupEvents by resource name for every key the scenarios made (by this learner), each event classed by lib/usage and priced by lib/pricing.',
      why: 'CloudTrail is the record of what was billed: every cryptographic and management call. Refused calls are not billed; the account that calls pays, so the partner account pays for its own calls.',
      async run(ctx: StepContext) {
        const keys = ctx.learnerKeys;
        ctx.check(keys.some((k) => k.arn === ctx.get('keyArn')), 'This scenario\'s key is not among the learner\'s keys.');
        const since = new Date(Date.now() - 7 * DAY_MS);
        const table = tableFor(new Date().toISOString().slice(0, 10), PRICE_TABLES);
        const byAccount = new Map<string, Map<string, { calls: number; cost: number }>>();
        let billed = 0;
        let refused = 0;
        let ours = 0;
        const seen = new Set<string>();
        for (const key of keys) {
          const meta = await describe(ctx, key);
          for (const event of await eventsOf(ctx, key, since)) {
            if (!event.EventId || seen.has(event.EventId)) continue;
            seen.add(event.EventId);
            const usage = toUsageEvent(event, { account: accountOf(key.arn), region: regionOf(key.arn) });
            if (usage.errorCode) {
              refused++;
              continue;
            }
            if (key.arn === ctx.get('keyArn') && usage.eventName === 'Encrypt') ours++;
            const record = JSON.parse(usage.json) as { userIdentity?: { accountId?: string } };
            const payer = record.userIdentity?.accountId ?? usage.account;
            const priceClass: PriceClass = priceClassOf(usage.requestClass, meta?.KeySpec);
            const lines = byAccount.get(payer) ?? new Map<string, { calls: number; cost: number }>();
            const line = lines.get(usage.eventName) ?? { calls: 0, cost: 0 };
            line.calls++;
            line.cost += requestCost(1, priceClass, table);
            lines.set(usage.eventName, line);
            byAccount.set(payer, lines);
            billed++;
          }
        }
        ctx.check(ours >= CALLS, `CloudTrail shows ${ours} Encrypt calls on this scenario's key, not ${CALLS}.`);
        const text: string[] = [];
        let gross = 0;
        for (const [account, lines] of byAccount) {
          text.push(`Account ${account} pays:`);
          for (const [api, line] of [...lines].sort((a, b) => b[1].calls - a[1].calls)) {
            text.push(`  ${api.padEnd(24)} ${String(line.calls).padStart(5)} requests  ${usd(line.cost)}`);
            gross += line.cost;
          }
        }
        text.push(`${billed} billed requests, ${usd(gross)} before the free tier (${table.freeRequestsPerMonth.toLocaleString('en-US')} requests a month free across Regions, symmetric ones only: these are free). ${refused} refused calls are not billed.`);
        text.push(`Prices of ${table.effectiveFrom} from ${table.source} (checked ${table.checkedOn}).`);
        ctx.note('Requests by account and API', text.join('\n'));
        ctx.note('The same events from the AWS CLI', cliText(cliTwin({ op: 'lookup-events', eventName: 'Encrypt', startTime: since.toISOString() }, { mode: 'demo', region: ctx.region, endpointUrl: ctx.endpointUrl })));
        return `${billed} billed requests over ${keys.length} keys priced at ${usd(gross)} before the free tier.`;
      },
    },
    {
      id: 'keys',
      title: 'Price the keys for a month',
      what: 'DescribeKey and ListKeyRotations for each key the scenarios made, priced for the next 30 days with lib/pricing\'s storage model.',
      why: 'Keys dominate small bills: $1 per key-month each (every multi-Region replica too), +$1 for each of the first two rotations. Keys pending deletion cost nothing, so "reset scenario" stops the charge.',
      async run(ctx: StepContext) {
        const now = Date.now();
        const lines: string[] = [];
        let total = 0;
        let charged = 0;
        await ctx.call('DescribeKey', { KeyId: ctx.get('keyArn') }, (kms, i) => kms.send(new DescribeKeyCommand(i)));
        for (const key of ctx.learnerKeys) {
          const meta = await describe(ctx, key);
          if (!meta) continue;
          let rotations: number[] = [];
          if (meta.Origin === 'AWS_KMS' && meta.KeySpec === 'SYMMETRIC_DEFAULT') {
            const out = await ctx.clients.kms(regionOf(key.arn), ownerOf(key.arn)).send(new ListKeyRotationsCommand({ KeyId: key.arn })).catch(() => undefined);
            rotations = (out?.Rotations ?? []).map((r) => r.RotationDate?.getTime() ?? now);
          }
          const pending = meta.KeyState === 'PendingDeletion' || meta.KeyState === 'PendingReplicaDeletion';
          const c = storageCost({ arn: key.arn, manager: meta.KeyManager === 'AWS' ? 'AWS' : 'CUSTOMER', createdAt: meta.CreationDate?.getTime() ?? now, pendingDeletionSince: pending ? now : undefined, rotations }, now, now + 30 * DAY_MS);
          const sum = c.storage + c.rotation;
          total += sum;
          if (sum > 0) charged++;
          lines.push(`${meta.KeyId} ${regionOf(key.arn)} ${accountOf(key.arn)} ${meta.KeyState}${rotations.length ? `, ${rotations.length} rotation(s)` : ''}: ${usd(sum)}`);
        }
        ctx.check(charged >= 1, 'No key of the scenarios is charged: every one is pending deletion.');
        ctx.note('The next 30 days', [...lines, `Total: ${usd(total)} for ${charged} charged key(s).`].join('\n'));
        return `Keeping the ${charged} live key(s) for 30 days costs about ${usd(total)}; scheduling their deletion ("Reset scenario") stops it.`;
      },
    },
  ],
};
