/**
 * Scenario 7: S3 replication of SSE-KMS objects. There is no S3 in the emulator, so the steps make the KMS
 * calls S3 makes on your behalf, as the replication role would (the demo app role stands in for it).
 */
import { DecryptCommand, EncryptCommand, GenerateDataKeyCommand } from '@aws-sdk/client-kms';
import { DEMO_ACCOUNT } from '@/lib/emulator/identities';
import { symmetricQuota, QUOTA_SOURCE } from '@/lib/usage/quotas';
import { identityOf } from '../runtime';
import type { StepContext } from '../runtime';
import type { ScenarioDefinition } from '../scenario';
import { b64, createScenarioKey, fromB64, openLocally, sealLocally, sha256 } from './helpers';

const SOURCE_REGION = 'us-east-1';
const DESTINATION_REGION = 'eu-west-1';
const SOURCE_CONTEXT = { 'aws:s3:arn': 'arn:aws:s3:::learn-source-bucket/reports/2026-11.csv' };
const DESTINATION_CONTEXT = { 'aws:s3:arn': 'arn:aws:s3:::learn-replica-bucket/reports/2026-11.csv' };
const BURST = 8;

/** No root statement: only the administrator (who must keep PutKeyPolicy) and the replication role with exactly one action. */
export function replicationPolicy(action: 'kms:Decrypt' | 'kms:Encrypt'): string {
  const role = identityOf('app').arn;
  return JSON.stringify(
    {
      Version: '2012-10-17',
      Id: `replication-${action === 'kms:Decrypt' ? 'source' : 'destination'}`,
      Statement: [
        { Sid: 'Key administrator', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${DEMO_ACCOUNT}:user/admin` }, Action: 'kms:*', Resource: '*' },
        { Sid: `Replication role: ${action} only`, Effect: 'Allow', Principal: { AWS: role }, Action: action, Resource: '*' },
      ],
    },
    null,
    2,
  );
}

export const s3Replication: ScenarioDefinition = {
  id: 's3-replication',
  number: 7,
  title: 'S3 replication with SSE-KMS',
  summary: 'Which KMS permissions cross-Region replication of SSE-KMS objects needs (kms:Decrypt on the source key, kms:Encrypt on the destination key) and why it can be throttled.',
  region: SOURCE_REGION,
  steps: [
    {
      id: 'keys',
      title: 'A source key and a destination key',
      what: `CreateKey in ${SOURCE_REGION} with a policy giving the replication role kms:Decrypt only, and in ${DESTINATION_REGION} with kms:Encrypt only.`,
      why: 'S3 decrypts each object with the source bucket\'s key and encrypts the replica with the destination bucket\'s key, both as the replication role. These policies have no root statement, so IAM cannot widen them.',
      async run(ctx: StepContext) {
        const source = await createScenarioKey(ctx, { Policy: replicationPolicy('kms:Decrypt') });
        const destination = await createScenarioKey(ctx, { Policy: replicationPolicy('kms:Encrypt') }, { region: DESTINATION_REGION });
        ctx.set('sourceKeyArn', source.Arn!);
        ctx.set('destinationKeyArn', destination.Arn!);
        ctx.note('No S3 here', 'The emulator has no S3: the following steps make, through the KMS API, the calls S3 makes for you. The app role plays the replication role. A real policy would also add a kms:ViaService condition (s3.<region>.amazonaws.com), which only S3 itself can satisfy.');
        return `Source key in ${SOURCE_REGION}, destination key in ${DESTINATION_REGION}.`;
      },
    },
    {
      id: 'upload',
      title: 'An object is uploaded with SSE-KMS',
      what: 'For the upload, S3 calls GenerateDataKey on the source key with the object\'s ARN as encryption context, encrypts the object with the data key and stores the encrypted data key with it.',
      why: 'The uploader needs kms:GenerateDataKey on the source key; here the administrator uploads. CloudTrail shows the aws:s3:arn context of each object.',
      async run(ctx: StepContext) {
        const out = await ctx.call('GenerateDataKey', { KeyId: ctx.get('sourceKeyArn'), KeySpec: 'AES_256' as const, EncryptionContext: SOURCE_CONTEXT }, (kms, i) => kms.send(new GenerateDataKeyCommand(i)), { secretResponse: ['Plaintext'] });
        const object = new TextEncoder().encode('month,orders\n2026-11,48213\n');
        const sealed = sealLocally(out.Plaintext!, object, 'reports/2026-11.csv');
        out.Plaintext!.fill(0);
        ctx.set('encryptedDataKey', b64(out.CiphertextBlob!));
        ctx.set('sealed', b64(sealed));
        ctx.set('objectSha256', sha256(object));
        return `The object is stored encrypted (${sealed.length} bytes) with its encrypted data key.`;
      },
    },
    {
      id: 'replicate',
      title: 'Replication: Decrypt on the source, Encrypt on the destination',
      what: `As the replication role: Decrypt the object's data key with the source key in ${SOURCE_REGION}, then Encrypt it under the destination key in ${DESTINATION_REGION} with the replica's context.`,
      why: 'These are the two permissions replication needs. Missing either one, the object\'s replication status becomes FAILED.',
      async run(ctx: StepContext) {
        const plain = await ctx.call('Decrypt', { CiphertextBlob: fromB64(ctx.get('encryptedDataKey')), EncryptionContext: SOURCE_CONTEXT }, (kms, i) => kms.send(new DecryptCommand(i)), { as: 'app', secretResponse: ['Plaintext'] });
        const object = openLocally(plain.Plaintext!, fromB64(ctx.get('sealed')), 'reports/2026-11.csv');
        ctx.check(sha256(object) === ctx.get('objectSha256'), 'The object did not decrypt to itself.');
        const out = await ctx.call(
          'Encrypt',
          { KeyId: ctx.get('destinationKeyArn'), Plaintext: plain.Plaintext!, EncryptionContext: DESTINATION_CONTEXT },
          (kms, i) => kms.send(new EncryptCommand(i)),
          { as: 'app', region: DESTINATION_REGION, secretRequest: ['Plaintext'] },
        );
        plain.Plaintext!.fill(0);
        ctx.check(out.KeyId === ctx.get('destinationKeyArn'), `The replica's data key is under ${out.KeyId}.`);
        return 'The replica\'s data key is now encrypted under the destination key; the object itself was never sent to KMS.';
      },
    },
    {
      id: 'least-privilege',
      title: 'The replication role can do nothing else',
      what: 'As the replication role, try Encrypt with the source key.',
      why: 'The source key policy allows the role kms:Decrypt only. Least privilege: a leaked replication credential cannot create new ciphertexts under your key.',
      async run(ctx: StepContext) {
        const error = await ctx.refused('Encrypt', { KeyId: ctx.get('sourceKeyArn'), Plaintext: new TextEncoder().encode('not allowed') }, (kms, i) => kms.send(new EncryptCommand(i)), 'AccessDeniedException', { as: 'app', secretRequest: ['Plaintext'] });
        return `Refused with ${error.name}: no statement allows kms:Encrypt on the source key for this role.`;
      },
    },
    {
      id: 'throttling',
      title: 'Why replication can be throttled',
      what: `A burst of ${BURST} Decrypt calls as the replication role, then the arithmetic against the Region's request quota.`,
      why: 'Every replicated object costs one Decrypt in the source Region and one Encrypt in the destination Region, drawn from the same per-account, per-Region quota as all your applications. A large backlog can exhaust it: KMS answers ThrottlingException and S3 retries. S3 Bucket Keys cut the calls to about one per bucket key instead of one per object.',
      async run(ctx: StepContext) {
        const started = Date.now();
        const results = await Promise.all(
          Array.from({ length: BURST }, () =>
            ctx.call('Decrypt', { CiphertextBlob: fromB64(ctx.get('encryptedDataKey')), EncryptionContext: SOURCE_CONTEXT }, (kms, i) => kms.send(new DecryptCommand(i)), { as: 'app', secretResponse: ['Plaintext'] }),
          ),
        );
        const ms = Math.max(1, Date.now() - started);
        for (const r of results) r.Plaintext?.fill(0);
        ctx.check(results.length === BURST, 'Not every call of the burst was answered.');
        const source = symmetricQuota(SOURCE_REGION);
        const destination = symmetricQuota(DESTINATION_REGION);
        ctx.note(
          'Quotas',
          [
            `Symmetric cryptographic operations, per account and Region: ${SOURCE_REGION} ${source.toLocaleString('en-US')}/s, ${DESTINATION_REGION} ${destination.toLocaleString('en-US')}/s (${QUOTA_SOURCE}).`,
            `Replicating 1,000,000 objects in 1 minute needs ≈ ${Math.round(1_000_000 / 60).toLocaleString('en-US')} Decrypt/s in ${SOURCE_REGION} on top of your applications' calls — ${Math.round((1_000_000 / 60 / source) * 100)}% of the quota.`,
            `This burst: ${BURST} Decrypt calls in ${ms} ms against the emulator (it does not throttle Decrypt).`,
          ].join('\n'),
        );
        return `${BURST} Decrypt calls answered; each replicated object costs 2 requests against the quotas of two Regions.`;
      },
    },
  ],
};
