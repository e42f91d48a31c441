/** Key policies: the default policy, structural checks, and Get/Put/ListKeyPolicies (enforcement comes with lib/policy). */
import type { GetKeyPolicyRequest, GetKeyPolicyResponse, ListKeyPoliciesRequest, ListKeyPoliciesResponse, PutKeyPolicyRequest } from '@aws-sdk/client-kms';
import { LimitExceededException, MalformedPolicyDocumentException, NotFoundException } from '../errors';
import { F } from '../validate';
import { operation, resolveKey } from './context';

/** AWS's default key policy: the account root may do everything, so IAM policies decide. */
export function defaultKeyPolicy(account: string): string {
  return JSON.stringify(
    {
      Version: '2012-10-17',
      Id: 'key-default-1',
      Statement: [
        { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*' },
      ],
    },
    null,
    2,
  );
}

/** The key policy size quota (KMS developer guide, "Quotas": 32 KB). */
export const MAX_POLICY_BYTES = 32_768;

/** Refuses a document that is not a policy: not JSON, no statements, or statements without Effect/Action. */
export function checkPolicyDocument(text: string): void {
  if (Buffer.byteLength(text, 'latin1') > MAX_POLICY_BYTES) {
    throw new LimitExceededException(`The key policy is larger than the maximum of ${MAX_POLICY_BYTES} bytes.`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new MalformedPolicyDocumentException(`The new key policy will not be valid JSON: ${(error as Error).message}`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new MalformedPolicyDocumentException('The key policy must be a JSON object.');
  const { Statement: statements, Version } = doc as { Statement?: unknown; Version?: unknown };
  if (Version !== undefined && Version !== '2012-10-17' && Version !== '2008-10-17') {
    throw new MalformedPolicyDocumentException(`The policy Version ${JSON.stringify(Version)} is not supported.`);
  }
  const list = Array.isArray(statements) ? statements : statements === undefined ? [] : [statements];
  if (list.length === 0) throw new MalformedPolicyDocumentException('The key policy must contain at least one Statement.');
  list.forEach((s: unknown, i) => {
    const st = (s ?? {}) as Record<string, unknown>;
    const where = `Statement ${i + 1}${typeof st.Sid === 'string' ? ` (${st.Sid})` : ''}`;
    if (typeof s !== 'object' || Array.isArray(s) || s === null) throw new MalformedPolicyDocumentException(`${where} is not an object.`);
    if (st.Effect !== 'Allow' && st.Effect !== 'Deny') throw new MalformedPolicyDocumentException(`${where}: Effect must be "Allow" or "Deny".`);
    if (st.Action === undefined && st.NotAction === undefined) throw new MalformedPolicyDocumentException(`${where}: Action or NotAction is required.`);
    if (st.Principal === undefined && st.NotPrincipal === undefined) throw new MalformedPolicyDocumentException(`${where}: a key policy statement needs a Principal.`);
  });
}

const policyName = { kind: 'string', min: 1, max: 128, pattern: /^[\w]+$/ } as const;

function requireDefaultName(name: string | undefined): void {
  if (name !== undefined && name !== 'default') throw new NotFoundException(`No such policy exists: ${name}`);
}

export const GetKeyPolicy = operation<GetKeyPolicyRequest, GetKeyPolicyResponse>({ KeyId: F.keyId, PolicyName: policyName }, (ctx, input) => {
  const key = resolveKey(ctx, input.KeyId!, { aliases: false });
  requireDefaultName(input.PolicyName);
  return { Policy: key.policy, PolicyName: 'default' };
});

export const PutKeyPolicy = operation<PutKeyPolicyRequest, Record<string, never>>(
  { KeyId: F.keyId, PolicyName: policyName, Policy: { ...F.policy, required: true }, BypassPolicyLockoutSafetyCheck: { kind: 'bool' } },
  (ctx, input) => {
    const key = resolveKey(ctx, input.KeyId!, { aliases: false });
    requireDefaultName(input.PolicyName);
    checkPolicyDocument(input.Policy!);
    ctx.store.putKey({ ...key, policy: input.Policy! });
    return {};
  },
);

export const ListKeyPolicies = operation<ListKeyPoliciesRequest, ListKeyPoliciesResponse>({ KeyId: F.keyId, Limit: F.limit, Marker: F.marker }, (ctx, input) => {
  resolveKey(ctx, input.KeyId!, { aliases: false });
  return { PolicyNames: ['default'], Truncated: false };
});
