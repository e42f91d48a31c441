/**
 * The policy-evaluation table (evaluation-cases.ts), every case run twice and held to its documented outcome:
 * (a) for real against the emulator — the case's key made with its key policy, its grants made with CreateGrant,
 *     its caller an IAM identity of the case's account carrying the case's IAM policies, and the case's action a
 *     SigV4-signed request with the case's encryption context and request facts;
 * (b) through the console's simulator (`simulate`, what the policy editor calls), given the key policy and grants
 *     as the console reads them back (GetKeyPolicy, ListGrants) and the caller's IAM policies.
 *
 * The table's accounts are the demo accounts (111122223333, and 444455556666 for the partner). One setup emulator
 * makes every case's key. Each case is then answered by an emulator of its own that starts from that state with the
 * demo identities plus the case's caller (identities are fixed when an emulator starts, and the case's IAM policies
 * name its key's ARN, known only once the key exists) and with the case's clock.
 */
import {
  CreateAliasCommand,
  CreateGrantCommand,
  CreateKeyCommand,
  EncryptCommand,
  ListAliasesCommand,
  PutKeyPolicyCommand,
  type EncryptionAlgorithmSpec,
  type GrantOperation,
  type KeySpec,
  type KeyUsageType,
  type KMSClient,
  type OriginType,
} from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import { createEmulator, DEFAULT_IDENTITIES, type Identity } from '../emulator';
import { signedRequest } from '../emulator/test-support';
import { listGrants } from '../kms/grants';
import { simulate, type SimulationRequest } from './access';
import { EVALUATION_CASES, type EvaluationCase, type Json } from './evaluation-cases';
import { parsePolicy } from './parse';
import { ACCOUNT, ALICE, BOB, KEY_ARN } from './test-support';
import type { KeyFacts } from './request-keys';
import type { ContextValue, GrantLike, PolicyDocument, PolicyKind } from './types';

type Outcome = EvaluationCase['expect'];

/** Cases no real request can make, by name, each with the reason. Keep it short: prefer a real mechanism. */
const NOT_RUNNABLE: ReadonlyMap<string, string> = new Map<string, string>([]);

/** Any integrated service will do where a case only needs "a request through an AWS service" (kms:GrantIsForAWSResource). */
const INTEGRATED_SERVICE = 'ec2.us-east-1.amazonaws.com';
const START = new Date('2026-01-01T00:00:00Z');

/** How a case's condition keys become facts of a real request. */
interface RealRequest {
  viaService?: string;
  sourceIp?: string;
  at?: Date;
  requestAlias?: string;
  /** Request members that are condition keys (EncryptionAlgorithm, RotationPeriodInDays). */
  parameters: Record<string, string | number | boolean>;
  /** The key's spec: the case's kms:KeySpec, else RSA_2048 when the request uses an RSA encryption algorithm. */
  keySpec: KeySpec;
  /** The key's usage (kms:KeyUsage), else ENCRYPT_DECRYPT. */
  keyUsage?: KeyUsageType;
  /** The key's origin (kms:KeyOrigin), else AWS_KMS. */
  origin?: OriginType;
  /** Aliases the key has (kms:ResourceAliases). */
  aliases?: string[];
}

function realRequest(c: EvaluationCase): RealRequest {
  const r: RealRequest = { parameters: {}, keySpec: 'SYMMETRIC_DEFAULT' };
  let keySpec: string | undefined;
  for (const [key, value] of Object.entries(c.context ?? {}) as [string, ContextValue][]) {
    switch (key.toLowerCase()) {
      case 'kms:viaservice':
        r.viaService = String(value);
        break;
      case 'aws:sourceip':
        r.sourceIp = String(value);
        break;
      case 'aws:currenttime':
        r.at = value instanceof Date ? value : new Date(String(value));
        break;
      case 'kms:requestalias':
        r.requestAlias = String(value);
        break;
      case 'kms:grantisforawsresource':
        if (value === true) r.viaService = INTEGRATED_SERVICE;
        break;
      case 'kms:encryptionalgorithm':
        r.parameters.EncryptionAlgorithm = String(value);
        if (String(value).startsWith('RSAES_')) keySpec ??= 'RSA_2048';
        break;
      case 'kms:keyspec':
        keySpec = String(value);
        break;
      case 'kms:rotationperiodindays':
        r.parameters.RotationPeriodInDays = Number(value);
        break;
      case 'kms:schedulekeydeletionpendingwindowindays':
        r.parameters.PendingWindowInDays = Number(value);
        break;
      case 'kms:keyusage':
        r.keyUsage = String(value) as KeyUsageType;
        break;
      case 'kms:keyorigin':
        r.origin = String(value) as OriginType;
        break;
      case 'kms:resourcealiases':
        r.aliases = Array.isArray(value) ? value : [String(value)];
        break;
      default:
        throw new Error(`No real request of this test carries ${key}: make it one (or list the case in NOT_RUNNABLE with the reason).`);
    }
  }
  if (keySpec) r.keySpec = keySpec as KeySpec;
  return r;
}

/** The table writes its key as KEY_ARN; here the key is the one the emulator made. */
const onKey = (doc: Json, arn: string): string => JSON.stringify(doc, null, 2).split(KEY_ARN).join(arn);

function parsed(text: string, kind: PolicyKind): PolicyDocument {
  const result = parsePolicy(text, { kind });
  if (!result.ok) throw new Error(result.errors.map((e) => `${e.path}: ${e.message}`).join('; '));
  return result.policy;
}

const setup = createEmulator({ clock: () => START });
/** The administrator of the key's account (AdministratorAccess), who makes each case's key, ciphertext, grants and alias. */
const admin: KMSClient = setup.kmsClient();

interface Prepared {
  keyArn: string;
  key: KeyFacts;
  /** The key policy as put, and the key's grants as the console lists them (ListGrants), read while the administrator still may. */
  policy: string;
  grants: GrantLike[];
  ciphertext?: string;
  destinationKeyArn?: string;
}

async function prepare(c: EvaluationCase, r: RealRequest, caller: string): Promise<Prepared> {
  const operation = (c.action ?? 'kms:Decrypt').replace(/^kms:/i, '');
  const symmetric = r.keySpec === 'SYMMETRIC_DEFAULT';
  const { KeyMetadata: meta } = await admin.send(
    new CreateKeyCommand({ ...(symmetric ? {} : { KeySpec: r.keySpec, KeyUsage: r.keyUsage ?? 'ENCRYPT_DECRYPT' }), ...(r.origin ? { Origin: r.origin } : {}) }),
  );
  const keyArn = meta!.Arn!;
  for (const alias of r.aliases ?? []) await admin.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: keyArn }));
  // What the policy editor knows of the key (DescribeKey's metadata; its aliases are added below, from ListAliases).
  const key: KeyFacts = { keySpec: meta!.KeySpec!, keyUsage: meta!.KeyUsage!, origin: meta!.Origin, multiRegion: meta!.MultiRegion };
  const prepared: Prepared = { keyArn, key, policy: onKey(c.keyPolicy, keyArn), grants: [] };
  if (operation === 'Decrypt' || operation === 'ReEncryptFrom') {
    const encrypted = await admin.send(
      new EncryptCommand({
        KeyId: keyArn,
        Plaintext: new TextEncoder().encode('table'),
        ...(symmetric ? { EncryptionContext: c.encryptionContext } : { EncryptionAlgorithm: r.parameters.EncryptionAlgorithm as EncryptionAlgorithmSpec }),
      }),
    );
    prepared.ciphertext = Buffer.from(encrypted.CiphertextBlob!).toString('base64');
  }
  if (operation === 'ReEncryptFrom') {
    // ReEncrypt also needs kms:ReEncryptTo on its destination, which this key's policy gives the caller.
    const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: caller }, Action: 'kms:ReEncryptTo', Resource: '*' }] };
    const destination = await admin.send(new CreateKeyCommand({ Policy: JSON.stringify(policy), BypassPolicyLockoutSafetyCheck: true }));
    prepared.destinationKeyArn = destination.KeyMetadata!.Arn!;
  }
  for (const g of c.grants ?? []) {
    const constraints = g.constraints && {
      ...(g.constraints.encryptionContextEquals ? { EncryptionContextEquals: g.constraints.encryptionContextEquals } : {}),
      ...(g.constraints.encryptionContextSubset ? { EncryptionContextSubset: g.constraints.encryptionContextSubset } : {}),
    };
    await admin.send(new CreateGrantCommand({ KeyId: keyArn, GranteePrincipal: g.granteePrincipal, Operations: g.operations as GrantOperation[], Constraints: constraints }));
  }
  // The policy editor's own mapping of the console's grant rows (components/policy/key-policy-editor.tsx).
  prepared.grants = (await listGrants(admin, keyArn)).map((g) => ({ grantId: g.grantId, granteePrincipal: g.granteePrincipal, operations: g.operations, ...(g.constraints ? { constraints: g.constraints } : {}) }));
  if (r.requestAlias) await admin.send(new CreateAliasCommand({ AliasName: r.requestAlias, TargetKeyId: keyArn }));
  prepared.key = { ...key, aliases: ((await admin.send(new ListAliasesCommand({ KeyId: keyArn }))).Aliases ?? []).map((a) => a.AliasName!) };
  // Many cases' policies leave the administrator out, as the table means them to.
  await admin.send(new PutKeyPolicyCommand({ KeyId: keyArn, Policy: prepared.policy, BypassPolicyLockoutSafetyCheck: true }));
  return prepared;
}

/** The body of the case's request, as an SDK would send it. */
function body(c: EvaluationCase, r: RealRequest, p: Prepared): { target: string; json: Json } {
  const operation = (c.action ?? 'kms:Decrypt').replace(/^kms:/i, '');
  const KeyId = r.requestAlias ?? p.keyArn;
  const context = c.encryptionContext ? { EncryptionContext: c.encryptionContext } : {};
  const plaintext = Buffer.from('table').toString('base64');
  switch (operation) {
    case 'Decrypt':
      return { target: 'Decrypt', json: { CiphertextBlob: p.ciphertext, KeyId, ...context, ...r.parameters } };
    case 'ReEncryptFrom':
      return { target: 'ReEncrypt', json: { CiphertextBlob: p.ciphertext, SourceKeyId: KeyId, SourceEncryptionContext: c.encryptionContext, DestinationKeyId: p.destinationKeyArn } };
    case 'Encrypt':
      return { target: 'Encrypt', json: { KeyId, Plaintext: plaintext, ...context, ...r.parameters } };
    case 'GenerateDataKey':
      return { target: 'GenerateDataKey', json: { KeyId, KeySpec: 'AES_256', ...context } };
    case 'DescribeKey':
      return { target: 'DescribeKey', json: { KeyId } };
    case 'GetPublicKey':
      return { target: 'GetPublicKey', json: { KeyId } };
    case 'ScheduleKeyDeletion':
      return { target: 'ScheduleKeyDeletion', json: { KeyId, ...r.parameters } };
    case 'EnableKeyRotation':
      return { target: 'EnableKeyRotation', json: { KeyId, ...r.parameters } };
    case 'CreateGrant':
      return { target: 'CreateGrant', json: { KeyId, GranteePrincipal: BOB, Operations: ['Decrypt'] } };
    default:
      throw new Error(`The table's ${operation} has no request here yet.`);
  }
}

/** (a) The emulator's answer to the case, as the case's caller, in a world holding the case's IAM. */
async function emulatorOutcome(c: EvaluationCase, r: RealRequest, p: Prepared, caller: Identity): Promise<string> {
  const at = r.at ?? START;
  // The demo accounts' own identities, plus the case's caller.
  const world = createEmulator({ identities: [...DEFAULT_IDENTITIES, caller], clock: () => at });
  for (const change of setup.snapshot()) world.applyChange(change);
  const { target, json } = body(c, r, p);
  const request = await signedRequest(`TrentService.${target}`, JSON.stringify(json), { accessKeyId: caller.accessKeyId, secretAccessKey: caller.secretAccessKey });
  const response = await world.handle(request, { sourceIp: r.sourceIp });
  if (response.status === 200) return 'Allow';
  const answer = (await response.json()) as { __type?: string; message?: string };
  if (answer.__type !== 'AccessDeniedException') return `${answer.__type}: ${answer.message}`;
  return answer.message?.includes('with an explicit deny') ? 'ExplicitDeny' : 'ImplicitDeny';
}

/** (b) The simulator's answer, from the key policy and grants as the console has them. */
function simulatorOutcome(c: EvaluationCase, r: RealRequest, p: Prepared, caller: Identity): Outcome {
  const request: SimulationRequest = {
    principal: caller.service ?? caller.arn,
    action: c.action ?? 'kms:Decrypt',
    ...(c.encryptionContext ? { encryptionContext: c.encryptionContext } : {}),
    ...(r.viaService ? { viaService: r.viaService } : {}),
    ...(r.sourceIp ? { sourceIp: r.sourceIp } : {}),
    ...(r.requestAlias ? { requestAlias: r.requestAlias } : {}),
    at: r.at ?? START,
    parameters: r.parameters,
  };
  const { decision } = simulate(request, { policy: parsed(p.policy, 'key-policy'), keyArn: p.keyArn, key: p.key, grants: p.grants, identityPolicies: caller.policies.map((text) => parsed(text, 'identity-policy')) });
  return decision.reason === 'Allowed' ? 'Allow' : decision.reason;
}

describe('the evaluation table: the emulator and the simulator both give the documented outcome', () => {
  const runnable = EVALUATION_CASES.filter((c) => !NOT_RUNNABLE.has(c.name));

  it('runs nearly every case for real: at most 10% are listed as not runnable, each by its name', () => {
    const names = new Set(EVALUATION_CASES.map((c) => c.name));
    expect(names.size, 'case names are unique').toBe(EVALUATION_CASES.length);
    for (const name of NOT_RUNNABLE.keys()) expect(names.has(name), name).toBe(true);
    expect(NOT_RUNNABLE.size).toBeLessThanOrEqual(Math.floor(EVALUATION_CASES.length / 10));
    expect(runnable.length).toBeGreaterThanOrEqual(60);
  });

  for (const c of runnable) it(c.name, async () => {
    const r = realRequest(c);
    const principal = c.principal ?? ALICE;
    const prepared = await prepare(c, r, principal);
    // The case's caller: an IAM identity of the case's account with the case's IAM policies (on the real key), or an AWS service.
    const caller: Identity = {
      accountId: c.account ?? ACCOUNT,
      arn: c.service ?? principal,
      accessKeyId: 'AKIATABLECASECALLER',
      secretAccessKey: 'table-case-secret',
      policies: (c.identity ?? []).map((doc) => onKey(doc, prepared.keyArn)),
      description: 'the case’s caller',
      ...(c.service ? { service: c.service } : {}),
      ...(r.viaService ? { viaService: r.viaService } : {}),
    };
    const emulator = await emulatorOutcome(c, r, prepared, caller);
    const simulator = simulatorOutcome(c, r, prepared, caller);
    expect({ emulator, simulator }).toEqual({ emulator: c.expect, simulator: c.expect });
  });
});
