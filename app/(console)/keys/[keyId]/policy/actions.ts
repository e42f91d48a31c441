'use server';
/** The policy editor's and grants panel's writes: PutKeyPolicy (behind the console's lockout check), CreateGrant, RetireGrant, RevokeGrant. */
import { z } from 'zod';
import { defineAction } from '@/lib/actions/define-action';
import { clientsFor } from '@/lib/aws/clients';
import { createGrant, retireGrant, revokeGrant } from '@/lib/kms/grants';
import { saveKeyPolicy } from '@/lib/kms/key-policy';
import type { Scope } from '@/lib/kms/inventory-types';
import { scopeFields } from '@/lib/kms/scope';

// Every write names the account and region it acts in; an unknown one is a ValidationException (scopeFields).
const kmsFor = (scope: Scope) => clientsFor(scope).kms;
const keyRef = { ...scopeFields, keyId: z.string().min(1).max(2048) };

export const savePolicyAction = defineAction({
  name: 'PutKeyPolicy',
  role: 'admin',
  input: z.object({ ...keyRef, policy: z.string().min(1).max(131_072), bypassLockoutCheck: z.boolean() }),
  run: ({ keyId, policy, bypassLockoutCheck, ...scope }) => saveKeyPolicy(kmsFor(scope), { keyId, ...scope, policy, bypassLockoutCheck }),
});

const GRANT_OPERATIONS = [
  'Decrypt', 'Encrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'ReEncryptFrom', 'ReEncryptTo', 'Sign', 'Verify', 'GetPublicKey',
  'CreateGrant', 'RetireGrant', 'DescribeKey', 'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext', 'GenerateMac', 'VerifyMac', 'DeriveSharedSecret',
] as const;
const PRINCIPAL = /^(arn:aws[a-z-]*:(iam|sts)::\d{12}:.+|\d{12}|[a-z0-9][a-z0-9.-]*\.amazonaws\.com)$/;
const context = z.record(z.string().min(1).max(384), z.string().max(384)).optional();

export const createGrantAction = defineAction({
  name: 'CreateGrant',
  role: 'operator',
  input: z.object({
    ...keyRef,
    granteePrincipal: z.string().regex(PRINCIPAL, 'must be an IAM or STS ARN, an account id or a service principal'),
    retiringPrincipal: z.string().regex(PRINCIPAL, 'must be an IAM or STS ARN, an account id or a service principal').optional(),
    operations: z.array(z.enum(GRANT_OPERATIONS)).min(1, 'choose at least one operation'),
    name: z.string().regex(/^[a-zA-Z0-9:/_-]{1,256}$/, 'may contain only letters, digits and : / _ -').optional(),
    encryptionContextEquals: context,
    encryptionContextSubset: context,
  }),
  run: ({ region, account, ...input }) => createGrant(kmsFor({ region, account }), input),
});

export const revokeGrantAction = defineAction({
  name: 'RevokeGrant',
  role: 'operator',
  input: z.object({ ...keyRef, grantId: z.string().min(1).max(128) }),
  run: async ({ keyId, grantId, ...scope }) => {
    await revokeGrant(kmsFor(scope), keyId, grantId);
    return { grantId };
  },
});

export const retireGrantAction = defineAction({
  name: 'RetireGrant',
  role: 'operator',
  input: z.object({ ...keyRef, grantId: z.string().min(1).max(128) }),
  run: async ({ keyId, grantId, ...scope }) => {
    await retireGrant(kmsFor(scope), keyId, grantId);
    return { grantId };
  },
});
