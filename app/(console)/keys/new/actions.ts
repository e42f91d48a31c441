'use server';
/** The create-key wizard's one write: CreateKey with the console policy, then CreateAlias. */
import { z } from 'zod';
import { defineAction } from '@/lib/actions/define-action';
import { clientsFor } from '@/lib/aws/clients';
import { buildCreateKeyInput, createKeyWithAlias, WIZARD_KEY_SPECS, type CreatedKey } from '@/lib/kms/create-key';
import { invalidateInventory } from '@/lib/kms/inventory-cache';
import { consoleAccountId } from '@/lib/kms/principals';
import { scopeFields } from '@/lib/kms/scope';

// The shape only; the rules (usages per spec, alias, tags, ARNs) are lib/kms/create-key.ts's, run below.
const draftSchema = z.object({
  ...scopeFields,
  draft: z.object({
    keyType: z.enum(['symmetric', 'asymmetric', 'hmac']),
    keyUsage: z.enum(['ENCRYPT_DECRYPT', 'SIGN_VERIFY', 'GENERATE_VERIFY_MAC', 'KEY_AGREEMENT']),
    keySpec: z.enum(WIZARD_KEY_SPECS as [string, ...string[]]).transform((spec) => spec as (typeof WIZARD_KEY_SPECS)[number]),
    origin: z.enum(['AWS_KMS', 'EXTERNAL']),
    multiRegion: z.boolean(),
    alias: z.string().max(300),
    description: z.string().max(10_000),
    tags: z.array(z.object({ key: z.string().max(200), value: z.string().max(300) })).max(60),
    administrators: z.array(z.string().max(2048)).max(100),
    users: z.array(z.string().max(2048)).max(100),
    allowGrantsForAwsResources: z.boolean(),
  }),
});

export interface CreateKeyResult extends CreatedKey {
  region: string;
  account: string;
}

export const createKeyAction = defineAction({
  name: 'CreateKey',
  role: 'admin',
  input: draftSchema,
  run: async ({ draft, ...scope }): Promise<CreateKeyResult> => {
    const accountId = await consoleAccountId(scope);
    const built = buildCreateKeyInput(draft, accountId);
    if (!built.ok) throw Object.assign(new Error(built.problems.join(' ')), { name: 'ValidationException', $fault: 'client', $metadata: {} });
    try {
      const created = await createKeyWithAlias(clientsFor(scope).kms, built.input, built.alias);
      // The new key's row is read on the next inventory view; the region is not reloaded.
      invalidateInventory(scope, [created.keyId]);
      return { ...created, ...scope };
    } catch (error) {
      invalidateInventory(scope);
      throw error;
    }
  },
});
