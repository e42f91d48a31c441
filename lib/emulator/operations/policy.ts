/** Key policies: the default policy, structural checks, and Get/Put/ListKeyPolicies (enforcement comes with lib/policy). */
import type { GetKeyPolicyRequest, GetKeyPolicyResponse, ListKeyPoliciesRequest, ListKeyPoliciesResponse, PutKeyPolicyRequest } from '@aws-sdk/client-kms';
import { LimitExceededException, MalformedPolicyDocumentException, NotFoundException } from '../errors';
import { F } from '../validate';
import { parsePolicy, wouldLockOut, type PolicyDocument } from '../../policy';
import { policyDocument } from '../authorize';
import { operation, resolveKey, type OperationContext } from './context';

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

/**
 * Validates a key policy with lib/policy: over 32 KB is LimitExceededException, anything else wrong is
 * MalformedPolicyDocumentException naming the first problem and where it is.
 */
export function checkPolicyDocument(text: string): PolicyDocument {
  const result = parsePolicy(text, { kind: 'key-policy' });
  if (result.ok) return result.policy;
  const [first] = result.errors;
  if (first.code === 'size-limit') throw new LimitExceededException(first.message);
  const more = result.errors.length > 1 ? ` (and ${result.errors.length - 1} more)` : '';
  throw new MalformedPolicyDocumentException(`${first.message} at line ${first.line}, column ${first.column}${more}`);
}

/**
 * PutKeyPolicy and CreateKey refuse a policy under which the caller could no longer change the policy,
 * unless BypassPolicyLockoutSafetyCheck is set (PutKeyPolicy API reference).
 */
export function checkLockout(ctx: OperationContext, policy: PolicyDocument, keyArn: string, bypass: boolean | undefined): void {
  if (bypass) return;
  const identityPolicies = ctx.caller.policies.map((p) => policyDocument(p, 'identity-policy'));
  if (wouldLockOut(policy, { arn: ctx.caller.arn, account: ctx.caller.accountId }, identityPolicies, keyArn)) {
    throw new MalformedPolicyDocumentException('The new key policy will not allow you to update the key policy in the future.');
  }
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
    checkLockout(ctx, checkPolicyDocument(input.Policy!), key.arn, input.BypassPolicyLockoutSafetyCheck);
    ctx.store.putKey({ ...key, policy: input.Policy! });
    return {};
  },
);

export const ListKeyPolicies = operation<ListKeyPoliciesRequest, ListKeyPoliciesResponse>({ KeyId: F.keyId, Limit: F.limit, Marker: F.marker }, (ctx, input) => {
  resolveKey(ctx, input.KeyId!, { aliases: false });
  return { PolicyNames: ['default'], Truncated: false };
});
