/** Fixtures shared by the policy tests: well-known ARNs and a helper that parses a policy object or fails loudly. */
import { parsePolicy } from './parse';
import type { PolicyDocument, PolicyKind } from './types';

export const ACCOUNT = '111122223333';
export const OTHER_ACCOUNT = '444455556666';
export const KEY_ARN = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
export const OTHER_KEY_ARN = `arn:aws:kms:us-east-1:${ACCOUNT}:key/0987dcba-09fe-87dc-65ba-ab0987654321`;

export const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
export const ALICE = `arn:aws:iam::${ACCOUNT}:user/alice`;
export const BOB = `arn:aws:iam::${ACCOUNT}:user/bob`;
export const APP_ROLE = `arn:aws:iam::${ACCOUNT}:role/app`;
export const APP_SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/app/session-1`;
export const OTHER_ROOT = `arn:aws:iam::${OTHER_ACCOUNT}:root`;
export const OTHER_USER = `arn:aws:iam::${OTHER_ACCOUNT}:user/carol`;
export const OTHER_ROLE = `arn:aws:iam::${OTHER_ACCOUNT}:role/partner`;
export const OTHER_SESSION = `arn:aws:sts::${OTHER_ACCOUNT}:assumed-role/partner/job-7`;

/** Parses a policy given as a plain object (pretty-printed, so locations are realistic); throws on any error. */
export function policy(doc: unknown, kind: PolicyKind = 'key-policy'): PolicyDocument {
  const result = parsePolicy(JSON.stringify(doc, null, 2), { kind });
  if (!result.ok) throw new Error(`test policy does not parse: ${result.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
  return result.policy;
}

export const identityPolicy = (doc: unknown) => policy(doc, 'identity-policy');

/** The default key policy KMS applies when CreateKey gets none (key-policy-default.html). */
export function defaultKeyPolicyDoc(account = ACCOUNT) {
  return {
    Version: '2012-10-17',
    Id: 'key-default-1',
    Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*' }],
  };
}
