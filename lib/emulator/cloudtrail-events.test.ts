import { describe, expect, it } from 'vitest';
import { kmsEvents, type EventInput } from './cloudtrail';
import { DEFAULT_IDENTITIES, PARTNER_ACCOUNT } from './identities';

const admin = DEFAULT_IDENTITIES.find((i) => i.arn.endsWith(':user/admin') && i.accountId === '111122223333')!;
const KEY = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const PARTNER_KEY = `arn:aws:kms:us-east-1:${PARTNER_ACCOUNT}:key/0987dcba-09fe-87dc-65ba-ab0987654321`;
const input = (over: Partial<EventInput> = {}): EventInput => ({
  caller: admin,
  region: 'us-east-1',
  time: Date.parse('2026-12-04T10:00:00.250Z'),
  operation: 'Encrypt',
  requestId: '11111111-2222-3333-4444-555555555555',
  sourceIp: '127.0.0.1',
  userAgent: 'aws-cli/2.15',
  request: { KeyId: KEY, Plaintext: 'c2VjcmV0' },
  blobMembers: new Set(['Plaintext']),
  keys: [KEY],
  ...over,
});

describe('kmsEvents (the records of one call)', () => {
  it('writes each call’s own user agent, also when calls alternate between clients', () => {
    const agents = ['aws-cli/2.15', 'Boto3/1.43 "quoted"', 'aws-cli/2.15', ''];
    const records = agents.map((userAgent) => JSON.parse(kmsEvents(input({ userAgent }))[0].json));
    expect(records.map((r) => r.userAgent)).toEqual(agents);
    expect(JSON.parse(kmsEvents(input({ userAgent: undefined }))[0].json).userAgent).toBe('');
  });

  it('names the key in the lookup resources, shared between events and frozen so no event changes another’s', () => {
    const [first] = kmsEvents(input());
    const [second] = kmsEvents(input());
    expect(first.resources).toEqual([{ ResourceType: 'AWS::KMS::Key', ResourceName: KEY }]);
    expect(second.resources).toBe(first.resources);
    expect(() => first.resources.push({ ResourceType: 'x', ResourceName: 'y' })).toThrow(TypeError);
    expect(() => {
      first.resources[0].ResourceName = 'changed';
    }).toThrow(TypeError);
  });

  it('records a call on another account’s key in both accounts, each naming the key, and keeps the plaintext out', () => {
    const events = kmsEvents(input({ keys: [PARTNER_KEY], request: { KeyId: PARTNER_KEY, Plaintext: 'c2VjcmV0' } }));
    expect(events.map((e) => e.account)).toEqual(['111122223333', PARTNER_ACCOUNT]);
    for (const e of events) {
      const record = JSON.parse(e.json);
      expect(e.resources).toEqual([{ ResourceType: 'AWS::KMS::Key', ResourceName: PARTNER_KEY }]);
      expect(record).toMatchObject({ recipientAccountId: e.account, resources: [{ accountId: PARTNER_ACCOUNT, type: 'AWS::KMS::Key', ARN: PARTNER_KEY }], requestParameters: { keyId: PARTNER_KEY } });
      expect(e.json).not.toContain('c2VjcmV0');
    }
    expect(events[0].eventId).not.toBe(events[1].eventId);
  });

  it('takes the account from an ARN whose resource part holds colons, and from a key in two accounts’ calls', () => {
    const odd = 'arn:aws:kms:us-east-1:444455556666:key/with:colons';
    expect(kmsEvents(input({ keys: [KEY, odd] })).map((e) => e.account)).toEqual(['111122223333', '444455556666']);
  });
});
