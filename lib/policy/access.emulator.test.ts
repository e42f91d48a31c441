/**
 * The simulator and the emulator must agree: each case sets a key policy, then one of the demo identities
 * makes a real, SigV4-signed request to the emulator while `simulate` predicts the outcome from the same
 * policy and that identity's IAM policies.
 */
import { CreateKeyCommand, EncryptCommand, PutKeyPolicyCommand } from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import { DEFAULT_IDENTITIES, DEMO_ACCOUNT, PARTNER_ACCOUNT } from '../emulator/identities';
import { signedRequest, testEmulator } from '../emulator/test-support';
import { simulate } from './access';
import { parsePolicy } from './parse';
import type { PolicyDocument } from './types';

type Json = Record<string, unknown>;
const ROOT = `arn:aws:iam::${DEMO_ACCOUNT}:root`;
const APP_ROLE = `arn:aws:iam::${DEMO_ACCOUNT}:role/app`;
const SECURITY_ROLE = `arn:aws:iam::${DEMO_ACCOUNT}:role/security-admin`;
const AUDITOR = `arn:aws:iam::${DEMO_ACCOUNT}:user/auditor`;
const ADMIN = `arn:aws:iam::${DEMO_ACCOUNT}:user/admin`;
const PARTNER_ROOT = `arn:aws:iam::${PARTNER_ACCOUNT}:root`;

const rootStatement = { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*' };
const withRoot = (...statements: Json[]) => ({ Version: '2012-10-17', Statement: [rootStatement, ...statements] });
const only = (...statements: Json[]) => ({ Version: '2012-10-17', Statement: statements });
const allow = (aws: string | string[], action: string | string[], condition?: Json): Json => ({ Effect: 'Allow', Principal: { AWS: aws }, Action: action, Resource: '*', ...(condition ? { Condition: condition } : {}) });
const deny = (aws: string | string[], action: string | string[], condition?: Json): Json => ({ Effect: 'Deny', Principal: { AWS: aws }, Action: action, Resource: '*', ...(condition ? { Condition: condition } : {}) });

type Caller = 'user/admin' | 'security-admin' | 'assumed-role/app' | 'user/auditor' | 'partner';
type Operation = 'Encrypt' | 'Decrypt' | 'DescribeKey' | 'GetKeyPolicy' | 'GenerateDataKey' | 'ListGrants' | 'EnableKeyRotation' | 'ScheduleKeyDeletion';

interface Case {
  name: string;
  policy: Json;
  caller: Caller;
  operation: Operation;
  encryptionContext?: Record<string, string>;
}

const EC_REPORTS = { StringEquals: { 'kms:EncryptionContext:app': 'reports' } };

const cases: Case[] = [
  { name: 'default policy: the app role encrypts through its IAM policy', policy: withRoot(), caller: 'assumed-role/app', operation: 'Encrypt' },
  { name: 'default policy: the app role cannot schedule deletion', policy: withRoot(), caller: 'assumed-role/app', operation: 'ScheduleKeyDeletion' },
  { name: 'default policy: the auditor describes', policy: withRoot(), caller: 'user/auditor', operation: 'DescribeKey' },
  { name: 'default policy: the auditor cannot encrypt', policy: withRoot(), caller: 'user/auditor', operation: 'Encrypt' },
  { name: 'default policy: the security admin enables rotation', policy: withRoot(), caller: 'security-admin', operation: 'EnableKeyRotation' },
  { name: 'default policy: the security admin cannot decrypt', policy: withRoot(), caller: 'security-admin', operation: 'Decrypt' },
  { name: 'default policy: the partner account is refused', policy: withRoot(), caller: 'partner', operation: 'Encrypt' },
  { name: 'key policy names the auditor for encrypt directly', policy: withRoot(allow(AUDITOR, 'kms:Encrypt')), caller: 'user/auditor', operation: 'Encrypt' },
  { name: 'auditor decrypt with the required context', policy: withRoot(allow(AUDITOR, 'kms:Decrypt', EC_REPORTS)), caller: 'user/auditor', operation: 'Decrypt', encryptionContext: { app: 'reports' } },
  { name: 'auditor decrypt with another context', policy: withRoot(allow(AUDITOR, 'kms:Decrypt', EC_REPORTS)), caller: 'user/auditor', operation: 'Decrypt', encryptionContext: { app: 'other' } },
  { name: 'auditor decrypt with no context', policy: withRoot(allow(AUDITOR, 'kms:Decrypt', EC_REPORTS)), caller: 'user/auditor', operation: 'Decrypt' },
  { name: 'a policy without the root keeps the administrator out', policy: only(allow(APP_ROLE, ['kms:Encrypt', 'kms:Decrypt'])), caller: 'user/admin', operation: 'Encrypt' },
  { name: 'a policy naming the app role lets its session encrypt', policy: only(allow(APP_ROLE, ['kms:Encrypt', 'kms:Decrypt'])), caller: 'assumed-role/app', operation: 'Encrypt' },
  { name: 'a role named in the policy, action not listed', policy: only(allow(APP_ROLE, ['kms:Encrypt'])), caller: 'assumed-role/app', operation: 'GenerateDataKey' },
  { name: 'an explicit deny beats the IAM allow', policy: withRoot(deny('*', 'kms:Encrypt')), caller: 'user/admin', operation: 'Encrypt' },
  { name: 'a deny for another principal leaves the app alone', policy: withRoot(deny(AUDITOR, 'kms:Encrypt')), caller: 'assumed-role/app', operation: 'Encrypt' },
  { name: 'a deny unless the context is given: given', policy: withRoot(deny('*', 'kms:Decrypt', { Null: { 'kms:EncryptionContext:app': 'true' } })), caller: 'assumed-role/app', operation: 'Decrypt', encryptionContext: { app: 'x' } },
  { name: 'a deny unless the context is given: missing', policy: withRoot(deny('*', 'kms:Decrypt', { Null: { 'kms:EncryptionContext:app': 'true' } })), caller: 'assumed-role/app', operation: 'Decrypt' },
  { name: 'the partner account named in the policy encrypts (its admin has AdministratorAccess)', policy: withRoot(allow(PARTNER_ROOT, ['kms:Encrypt', 'kms:Decrypt'])), caller: 'partner', operation: 'Encrypt' },
  { name: 'the partner account cannot describe when only encrypt is shared', policy: withRoot(allow(PARTNER_ROOT, ['kms:Encrypt'])), caller: 'partner', operation: 'DescribeKey' },
  { name: 'kms:CallerAccount limits "*" to the account', policy: withRoot(allow('*', 'kms:Encrypt', { StringEquals: { 'kms:CallerAccount': DEMO_ACCOUNT } })), caller: 'user/auditor', operation: 'Encrypt' },
  { name: 'kms:CallerAccount keeps the partner out of "*"', policy: withRoot(allow('*', 'kms:Encrypt', { StringEquals: { 'kms:CallerAccount': DEMO_ACCOUNT } })), caller: 'partner', operation: 'Encrypt' },
  { name: 'the security admin named as administrator reads the policy', policy: only(allow(SECURITY_ROLE, ['kms:Get*', 'kms:Put*', 'kms:Describe*'])), caller: 'security-admin', operation: 'GetKeyPolicy' },
  { name: 'an admin user named directly lists grants', policy: only(allow(ADMIN, ['kms:List*', 'kms:Put*'])), caller: 'user/admin', operation: 'ListGrants' },
  { name: 'aws:PrincipalArn with ArnLike on the role', policy: only(allow(ROOT, 'kms:Put*'), allow('*', 'kms:Encrypt', { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${DEMO_ACCOUNT}:role/app*` } })), caller: 'assumed-role/app', operation: 'Encrypt' },
  { name: 'aws:PrincipalArn keeps the auditor out', policy: only(allow(ROOT, 'kms:Put*'), allow('*', 'kms:Encrypt', { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${DEMO_ACCOUNT}:role/app*` } })), caller: 'user/auditor', operation: 'Encrypt' },
];

const identityFor = (caller: Caller) => DEFAULT_IDENTITIES.find((i) => (caller === 'partner' ? i.accountId === PARTNER_ACCOUNT : i.accountId === DEMO_ACCOUNT && i.arn.includes(caller)))!;

function parsed(text: string, kind: 'key-policy' | 'identity-policy' = 'key-policy'): PolicyDocument {
  const result = parsePolicy(text, { kind });
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('; '));
  return result.policy;
}

describe('the simulator agrees with the emulator', () => {
  it.each(cases)('$name', async (c) => {
    const t = testEmulator();
    const admin = t.kms;
    const { KeyId, Arn } = (await admin.send(new CreateKeyCommand({}))).KeyMetadata!;
    // A ciphertext made while the default policy still lets the administrator encrypt.
    const { CiphertextBlob } = await admin.send(new EncryptCommand({ KeyId, Plaintext: new TextEncoder().encode('x'), EncryptionContext: c.encryptionContext }));
    const policyText = JSON.stringify(c.policy, null, 2);
    await admin.send(new PutKeyPolicyCommand({ KeyId, Policy: policyText, BypassPolicyLockoutSafetyCheck: true }));

    const identity = identityFor(c.caller);
    const bodies: Record<Operation, Json> = {
      Encrypt: { KeyId: Arn, Plaintext: Buffer.from('x').toString('base64'), EncryptionContext: c.encryptionContext },
      Decrypt: { CiphertextBlob: Buffer.from(CiphertextBlob!).toString('base64'), KeyId: Arn, EncryptionContext: c.encryptionContext },
      DescribeKey: { KeyId: Arn },
      GetKeyPolicy: { KeyId: Arn, PolicyName: 'default' },
      GenerateDataKey: { KeyId: Arn, KeySpec: 'AES_256', EncryptionContext: c.encryptionContext },
      ListGrants: { KeyId: Arn },
      EnableKeyRotation: { KeyId: Arn },
      ScheduleKeyDeletion: { KeyId: Arn, PendingWindowInDays: 7 },
    };
    const request = await signedRequest(`TrentService.${c.operation}`, JSON.stringify(bodies[c.operation]), {
      accessKeyId: identity.accessKeyId,
      secretAccessKey: identity.secretAccessKey,
    });
    const response = await t.emulator.handle(request);
    const answer = (await response.json()) as { __type?: string; message?: string };
    if (response.status !== 200) expect(answer.__type, answer.message).toBe('AccessDeniedException');
    const emulatorDecision = response.status === 200 ? 'Allow' : 'Deny';

    const predicted = simulate(
      { principal: identity.arn, action: `kms:${c.operation}`, encryptionContext: c.encryptionContext },
      { policy: parsed(policyText), keyArn: Arn!, grants: [], identityPolicies: identity.policies.map((p) => parsed(p, 'identity-policy')) },
    );
    expect(predicted.decision.decision, `${predicted.decision.explanation} | emulator: ${answer.message ?? 'OK'}`).toBe(emulatorDecision);
  });

  it('has at least 20 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });
});
