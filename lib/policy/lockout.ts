/**
 * The key policy lockout safety check: PutKeyPolicy and CreateKey refuse a policy that would stop the caller
 * from changing the policy again, unless BypassPolicyLockoutSafetyCheck is set
 * (KMS API reference, API_PutKeyPolicy.html and API_CreateKey.html).
 */
import { evaluate } from './evaluate';
import { accountOfKeyArn } from './match';
import type { CallerPrincipal, PolicyDocument } from './types';

/** True when, with `policy` as the key policy, `caller` could no longer call kms:PutKeyPolicy on the key. */
export function wouldLockOut(policy: PolicyDocument, caller: CallerPrincipal, identityPolicies: PolicyDocument[], keyArn: string): boolean {
  const decision = evaluate({
    action: 'kms:PutKeyPolicy',
    principal: caller,
    resource: keyArn,
    keyAccount: accountOfKeyArn(keyArn) ?? caller.account,
    keyPolicy: policy,
    identityPolicies,
    // An empty request context: only the caller-derived keys (aws:PrincipalArn, kms:CallerAccount…) are known.
    context: {},
  });
  return decision.decision !== 'Allow';
}
