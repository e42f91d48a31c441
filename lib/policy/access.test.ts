import { describe, expect, it } from 'vitest';
import { accessDelta, accessTable, principalLabel, principalsInPolicy, simulate, type AccessPrincipal, type SimulationRequest } from './access';
import { buildConsolePolicy } from './default-view';
import { ACCOUNT, ALICE, APP_ROLE, APP_SESSION, KEY_ARN, OTHER_ROOT, ROOT, defaultKeyPolicyDoc, identityPolicy, policy } from './test-support';
import type { GrantLike } from './types';

type Json = Record<string, unknown>;
const keyPolicy = (...statements: Json[]) => policy({ Version: '2012-10-17', Statement: [defaultKeyPolicyDoc().Statement[0], ...statements] });
const appIam = [identityPolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*', 'kms:DescribeKey'], Resource: '*' }] })];
const app: AccessPrincipal = { id: APP_SESSION, label: 'assumed-role/app/session-1', sources: ['account'], identityPolicies: appIam };
const alice: AccessPrincipal = { id: ALICE, label: 'user/alice', sources: ['policy'], identityPolicies: [] };
const partner: AccessPrincipal = { id: OTHER_ROOT, label: 'account 444455556666 (root)', sources: ['policy'] };
const root: AccessPrincipal = { id: ROOT, label: 'root', sources: ['account'], identityPolicies: [] };

const row = (rows: ReturnType<typeof accessTable>, id: string) => rows.find((r) => r.principal.id === id)!;

describe('accessTable', () => {
  it('with the default key policy, the account root administers and the app role uses the key through its IAM policy', () => {
    const rows = accessTable({ policy: keyPolicy(), keyArn: KEY_ARN, grants: [], principals: [root, app, alice] });
    expect(row(rows, ROOT).cells.administer.state).toBe('allow');
    expect(row(rows, APP_SESSION).cells.encrypt).toMatchObject({ state: 'allow' });
    expect(row(rows, APP_SESSION).cells.administer).toMatchObject({ state: 'deny' });
    expect(row(rows, APP_SESSION).cells.view.state).toBe('partial');
    expect(row(rows, APP_SESSION).cells.view.reason).toMatch(/allowed: DescribeKey; denied: GetKeyPolicy/);
    expect(row(rows, ALICE).cells.encrypt.state).toBe('deny');
  });

  it('marks access that needs an encryption context as conditional, naming the condition', () => {
    const rows = accessTable({
      policy: keyPolicy({ Sid: 'AliceReports', Effect: 'Allow', Principal: { AWS: ALICE }, Action: ['kms:Encrypt', 'kms:Decrypt'], Resource: '*', Condition: { StringEquals: { 'kms:EncryptionContext:app': 'reports' } } }),
      keyArn: KEY_ARN,
      grants: [],
      principals: [alice],
    });
    const cell = row(rows, ALICE).cells.encrypt;
    expect(cell.actions.find((a) => a.action === 'kms:Decrypt')).toMatchObject({ state: 'conditional', reason: expect.stringContaining('"AliceReports" requires kms:EncryptionContext:app StringEquals reports') });
    expect(cell.actions.find((a) => a.action === 'kms:GenerateDataKey')?.state).toBe('deny');
    expect(cell.state).toBe('conditional');
  });

  it('shows another account named in the policy as allowed only if its own IAM policies allow', () => {
    const rows = accessTable({ policy: keyPolicy({ Effect: 'Allow', Principal: { AWS: OTHER_ROOT }, Action: 'kms:Decrypt', Resource: '*' }), keyArn: KEY_ARN, grants: [], principals: [partner] });
    const decrypt = row(rows, OTHER_ROOT).cells.encrypt.actions.find((a) => a.action === 'kms:Decrypt')!;
    expect(decrypt.state).toBe('allow'); // the root of the other account needs no IAM policy
    const session: AccessPrincipal = { id: 'arn:aws:sts::444455556666:assumed-role/partner/job', label: 'partner', sources: ['account'] };
    const unknownIam = accessTable({ policy: keyPolicy({ Effect: 'Allow', Principal: { AWS: OTHER_ROOT }, Action: 'kms:Decrypt', Resource: '*' }), keyArn: KEY_ARN, grants: [], principals: [session] });
    expect(row(unknownIam, session.id).cells.encrypt.actions.find((a) => a.action === 'kms:Decrypt')).toMatchObject({ state: 'conditional', reason: expect.stringMatching(/^Allowed if its IAM policies allow it/) });
  });

  it('counts grants: a grant for Decrypt with an encryption-context constraint is conditional, without one it allows', () => {
    const grants: GrantLike[] = [
      { grantId: 'g-constrained-0001', granteePrincipal: ALICE, operations: ['Decrypt'], constraints: { encryptionContextSubset: { app: 'x' } } },
      { grantId: 'g-plain-0002', granteePrincipal: APP_ROLE, operations: ['Encrypt'] },
    ];
    const role: AccessPrincipal = { id: APP_ROLE, label: 'role/app', sources: ['grant'], identityPolicies: [] };
    const rows = accessTable({ policy: keyPolicy(), keyArn: KEY_ARN, grants, principals: [alice, role] });
    expect(row(rows, ALICE).cells.encrypt.actions.find((a) => a.action === 'kms:Decrypt')).toMatchObject({ state: 'conditional', reason: expect.stringContaining('grant g-constr') });
    expect(row(rows, APP_ROLE).cells.encrypt.actions.find((a) => a.action === 'kms:Encrypt')?.state).toBe('allow');
  });

  it('an explicit unconditional Deny makes the cell deny with the denying statement', () => {
    const rows = accessTable({ policy: keyPolicy({ Sid: 'NoUse', Effect: 'Deny', Principal: '*', Action: 'kms:Encrypt', Resource: '*' }), keyArn: KEY_ARN, grants: [], principals: [app] });
    expect(row(rows, APP_SESSION).cells.encrypt.actions[0]).toMatchObject({ state: 'deny', reason: expect.stringContaining('"NoUse"') });
  });
});

describe('accessDelta', () => {
  it('says who gains and who loses what', () => {
    const before = { policy: keyPolicy(), keyArn: KEY_ARN, grants: [] };
    const consolePolicy = buildConsolePolicy({ account: ACCOUNT, administrators: [], users: [ALICE], allowGrantsForAwsResources: false, keyUsage: 'ENCRYPT_DECRYPT', keySpec: 'SYMMETRIC_DEFAULT' });
    const after = { policy: policy(consolePolicy), keyArn: KEY_ARN, grants: [] };
    const sentences = accessDelta(before, after, [alice, app]).map((c) => c.sentence);
    expect(sentences).toContain('user/alice gains kms:Decrypt');
    expect(sentences).not.toContain('user/alice gains kms:PutKeyPolicy');
    expect(sentences.some((s) => s.startsWith('assumed-role'))).toBe(false);
    expect(accessDelta(after, before, [alice]).map((c) => c.sentence)).toContain('user/alice loses kms:Decrypt');
    expect(accessDelta(before, before, [alice, app])).toEqual([]);
  });
});

describe('simulate', () => {
  const p = keyPolicy({ Sid: 'AliceReports', Effect: 'Allow', Principal: { AWS: ALICE }, Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'kms:EncryptionContext:app': 'reports' } } });

  it('allows a decrypt with the right encryption context and points at the deciding statement', () => {
    const { decision } = simulate({ principal: ALICE, action: 'kms:Decrypt', encryptionContext: { app: 'reports' } }, { policy: p, keyArn: KEY_ARN, grants: [], identityPolicies: [] });
    expect(decision.decision).toBe('Allow');
    expect(decision.statements.map((s) => s.sid)).toEqual(['AliceReports']);
  });

  it('denies it with another context and explains the unmet condition', () => {
    const { decision } = simulate({ principal: ALICE, action: 'kms:Decrypt', encryptionContext: { app: 'other' } }, { policy: p, keyArn: KEY_ARN, grants: [], identityPolicies: [] });
    expect(decision.decision).toBe('Deny');
    expect(decision.explanation).toContain('kms:EncryptionContext:app is not met');
  });

  it('passes kms:ViaService and aws:SourceIp to conditions', () => {
    const via = keyPolicy({ Effect: 'Allow', Principal: { AWS: ALICE }, Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' }, IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } });
    const input = { policy: via, keyArn: KEY_ARN, grants: [], identityPolicies: [] };
    expect(simulate({ principal: ALICE, action: 'kms:Decrypt', viaService: 's3.us-east-1.amazonaws.com', sourceIp: '10.1.2.3' }, input).decision.decision).toBe('Allow');
    expect(simulate({ principal: ALICE, action: 'kms:Decrypt', viaService: 's3.us-east-1.amazonaws.com', sourceIp: '192.168.0.1' }, input).decision.decision).toBe('Deny');
  });

  const allowWhen = (action: string, condition: object): Parameters<typeof simulate>[1] => ({ policy: keyPolicy({ Effect: 'Allow', Principal: { AWS: ALICE }, Action: action, Resource: '*', Condition: condition }), keyArn: KEY_ARN, grants: [], identityPolicies: [] });
  const outcome = (request: Partial<SimulationRequest> & { action: string }, input: ReturnType<typeof allowWhen>) => simulate({ principal: ALICE, ...request }, input).decision.decision;

  it('gives aws:CurrentTime the time asked for, and now by default', () => {
    const input = allowWhen('kms:Decrypt', { DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } });
    expect(outcome({ action: 'kms:Decrypt', at: new Date('2029-12-31T23:59:59Z') }, input)).toBe('Allow');
    expect(outcome({ action: 'kms:Decrypt', at: new Date('2030-01-01T00:00:01Z') }, input)).toBe('Deny');
    const since2020 = allowWhen('kms:Decrypt', { DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } });
    expect(outcome({ action: 'kms:Decrypt' }, since2020)).toBe('Allow');
  });

  it('passes kms:RequestAlias and request members that are condition keys', () => {
    expect(outcome({ action: 'kms:Decrypt', requestAlias: 'alias/finance-x' }, allowWhen('kms:Decrypt', { StringLike: { 'kms:RequestAlias': 'alias/finance-*' } }))).toBe('Allow');
    expect(outcome({ action: 'kms:Decrypt' }, allowWhen('kms:Decrypt', { StringLike: { 'kms:RequestAlias': 'alias/finance-*' } }))).toBe('Deny');
    const rotation = allowWhen('kms:EnableKeyRotation', { NumericLessThanEquals: { 'kms:RotationPeriodInDays': '365' } });
    expect(outcome({ action: 'kms:EnableKeyRotation', parameters: { RotationPeriodInDays: 365 } }, rotation)).toBe('Allow');
    expect(outcome({ action: 'kms:EnableKeyRotation', parameters: { RotationPeriodInDays: 730 } }, rotation)).toBe('Deny');
  });

  it('gives the key’s facts (kms:KeySpec, kms:KeyUsage …) to conditions, as KMS does, in the simulator and the access table', () => {
    const input = allowWhen('kms:Decrypt', { StringEquals: { 'kms:KeySpec': 'SYMMETRIC_DEFAULT', 'kms:KeyUsage': 'ENCRYPT_DECRYPT' } });
    const symmetric = { keySpec: 'SYMMETRIC_DEFAULT', keyUsage: 'ENCRYPT_DECRYPT' };
    expect(outcome({ action: 'kms:Decrypt' }, { ...input, key: symmetric })).toBe('Allow');
    expect(outcome({ action: 'kms:Decrypt' }, { ...input, key: { keySpec: 'RSA_2048', keyUsage: 'ENCRYPT_DECRYPT' } })).toBe('Deny');
    const alice: AccessPrincipal = { id: ALICE, label: 'alice', sources: ['policy'], identityPolicies: [] };
    const cell = (key?: { keySpec: string; keyUsage: string }) => accessTable({ ...input, principals: [alice], ...(key ? { key } : {}) })[0].cells.encrypt.actions.find((a) => a.action === 'kms:Decrypt')!.state;
    expect(cell(symmetric)).toBe('allow');
    // Without the key's facts the table can only say "under a condition".
    expect(cell()).toBe('conditional');
  });

  it('sets kms:GrantIsForAWSResource for grant calls: true through a service, false directly', () => {
    const input = allowWhen('kms:CreateGrant', { Bool: { 'kms:GrantIsForAWSResource': 'true' } });
    expect(outcome({ action: 'kms:CreateGrant', viaService: 'ec2.us-east-1.amazonaws.com' }, input)).toBe('Allow');
    expect(outcome({ action: 'kms:CreateGrant' }, input)).toBe('Deny');
    const notForAws = allowWhen('kms:CreateGrant', { Bool: { 'kms:GrantIsForAWSResource': 'false' } });
    expect(outcome({ action: 'kms:CreateGrant' }, notForAws)).toBe('Allow');
  });
});

describe('principals', () => {
  it('lists the principals a policy names, account ids as root ARNs, and labels them shortly', () => {
    const p = keyPolicy({ Effect: 'Allow', Principal: { AWS: ['444455556666', ALICE], Service: 'logs.amazonaws.com' }, Action: 'kms:Encrypt', Resource: '*' });
    expect(principalsInPolicy(p)).toEqual([ROOT, OTHER_ROOT, ALICE, 'logs.amazonaws.com']);
    expect(principalLabel(APP_ROLE, ACCOUNT)).toBe('role/app');
    expect(principalLabel(OTHER_ROOT, ACCOUNT)).toBe('account 444455556666 (root)');
    expect(principalLabel('arn:aws:iam::444455556666:role/partner', ACCOUNT)).toBe('role/partner (444455556666)');
  });
});
