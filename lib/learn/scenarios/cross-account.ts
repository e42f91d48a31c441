/** Scenario 4: what AMI or snapshot sharing needs — the key policy names the other account, it creates a grant, and re-encrypts into its own key. */
import { CreateGrantCommand, DecryptCommand, EncryptCommand, ReEncryptCommand } from '@aws-sdk/client-kms';
import { DEMO_ACCOUNT, PARTNER_ACCOUNT } from '@/lib/emulator/identities';
import { identityOf } from '../runtime';
import type { StepContext } from '../runtime';
import type { ScenarioDefinition } from '../scenario';
import { b64, createScenarioKey, fromB64, randomSecret, sha256 } from './helpers';

const CONTEXT = { snapshot: 'snap-0123456789abcdef0' };

/** Root keeps kms:*; the partner account may use the key and create grants on it, as its own IAM policies allow. */
export function sharedKeyPolicy(): string {
  return JSON.stringify(
    {
      Version: '2012-10-17',
      Id: 'shared-with-444455556666',
      Statement: [
        { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${DEMO_ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
        {
          Sid: 'Allow the partner account to use the key',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${PARTNER_ACCOUNT}:root` },
          Action: ['kms:Decrypt', 'kms:ReEncrypt*', 'kms:DescribeKey', 'kms:CreateGrant'],
          Resource: '*',
        },
      ],
    },
    null,
    2,
  );
}

export const crossAccount: ScenarioDefinition = {
  id: 'cross-account',
  number: 4,
  title: 'Cross-account use',
  summary: 'Share a key with account 444455556666 as AMI or snapshot sharing needs: a key policy for the other account, a grant, and ReEncrypt into the target account\'s own key.',
  region: 'us-east-1',
  steps: [
    {
      id: 'shared-key',
      title: 'A key whose policy names the other account',
      what: 'CreateKey with a policy that lets account 444455556666 use the key and create grants, then Encrypt a snapshot\'s data key under it.',
      why: 'Another account can use a key only if the key policy allows that account (its IAM policies must allow it too). Without this, sharing an encrypted AMI or snapshot fails.',
      async run(ctx: StepContext) {
        const key = await createScenarioKey(ctx, { Policy: sharedKeyPolicy() });
        ctx.set('sourceKeyArn', key.Arn!);
        const dataKey = randomSecret(24);
        const out = await ctx.call('Encrypt', { KeyId: key.Arn!, Plaintext: new TextEncoder().encode(dataKey), EncryptionContext: CONTEXT }, (kms, i) => kms.send(new EncryptCommand(i)), { secretRequest: ['Plaintext'] });
        ctx.set('ciphertext', b64(out.CiphertextBlob!));
        ctx.set('dataKeySha256', sha256(dataKey));
        return `Key ${key.KeyId} is shared with ${PARTNER_ACCOUNT}; the snapshot's data key is encrypted under it.`;
      },
    },
    {
      id: 'target-key',
      title: 'The target account makes its own key',
      what: 'As the administrator of account 444455556666, CreateKey in that account.',
      why: 'The copy should not depend on the source account forever: it ends up under a key the target owns and controls.',
      async run(ctx: StepContext) {
        const key = await createScenarioKey(ctx, {}, { as: 'partner' });
        ctx.check(key.AWSAccountId === PARTNER_ACCOUNT, `The key belongs to ${key.AWSAccountId}, not ${PARTNER_ACCOUNT}.`);
        ctx.set('targetKeyArn', key.Arn!);
        return `Key ${key.KeyId} belongs to account ${PARTNER_ACCOUNT}.`;
      },
    },
    {
      id: 'grant',
      title: 'CreateGrant from the other account',
      what: 'The partner administrator creates a grant on the source key (by its ARN: other accounts cannot use aliases or key ids) for itself: Decrypt, ReEncryptFrom, DescribeKey.',
      why: 'This is what EC2 and EBS do on your behalf when you copy a shared snapshot: the key policy allows kms:CreateGrant, the grant carries the exact operations.',
      async run(ctx: StepContext) {
        const grantee = identityOf('partner').arn;
        const out = await ctx.call(
          'CreateGrant',
          { KeyId: ctx.get('sourceKeyArn'), GranteePrincipal: grantee, Operations: ['Decrypt' as const, 'ReEncryptFrom' as const, 'DescribeKey' as const], Name: 'snapshot-copy' },
          (kms, i) => kms.send(new CreateGrantCommand(i)),
          { as: 'partner' },
        );
        ctx.check(out.GrantId, 'CreateGrant returned no grant id.');
        ctx.set('grantId', out.GrantId);
        return `Grant ${out.GrantId.slice(0, 16)}… lets ${grantee} use the source key.`;
      },
    },
    {
      id: 're-encrypt',
      title: 'ReEncrypt into the target account\'s key',
      what: 'As the partner: ReEncrypt from the source key (demo account) to its own key, then Decrypt with its own key.',
      why: 'ReEncrypt decrypts and encrypts inside KMS — the data key is never exposed — and needs kms:ReEncryptFrom on the source and kms:ReEncryptTo on the destination.',
      async run(ctx: StepContext) {
        const source = ctx.get('sourceKeyArn');
        const target = ctx.get('targetKeyArn');
        const out = await ctx.call(
          'ReEncrypt',
          { CiphertextBlob: fromB64(ctx.get('ciphertext')), SourceKeyId: source, SourceEncryptionContext: CONTEXT, DestinationKeyId: target, DestinationEncryptionContext: CONTEXT },
          (kms, i) => kms.send(new ReEncryptCommand(i)),
          { as: 'partner' },
        );
        ctx.check(out.SourceKeyId === source && out.KeyId === target, `ReEncrypt went from ${out.SourceKeyId} to ${out.KeyId}.`);
        const back = await ctx.call('Decrypt', { CiphertextBlob: out.CiphertextBlob!, EncryptionContext: CONTEXT }, (kms, i) => kms.send(new DecryptCommand(i)), { as: 'partner', secretResponse: ['Plaintext'] });
        ctx.check(back.KeyId === target, `Decrypt used ${back.KeyId}.`);
        ctx.check(sha256(back.Plaintext!) === ctx.get('dataKeySha256'), 'The partner decrypted something other than the snapshot\'s data key.');
        return `The data key now decrypts under ${PARTNER_ACCOUNT}'s own key (digests match).`;
      },
    },
  ],
};
