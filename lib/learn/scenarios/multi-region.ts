/** Scenario 6: a multi-Region key — encrypt in one Region, decrypt with its replica in another. */
import { DecryptCommand, DescribeKeyCommand, EncryptCommand, ReplicateKeyCommand } from '@aws-sdk/client-kms';
import type { StepContext } from '../runtime';
import type { ScenarioDefinition } from '../scenario';
import { b64, createScenarioKey, fromB64, randomSecret, sha256 } from './helpers';

const PRIMARY = 'us-east-1';
const REPLICA = 'eu-west-1';
const CONTEXT = { table: 'customers', column: 'iban' };

export const multiRegion: ScenarioDefinition = {
  id: 'multi-region',
  number: 6,
  title: 'Multi-Region keys',
  summary: `Create a multi-Region key in ${PRIMARY}, replicate it to ${REPLICA}, encrypt in one Region and decrypt in the other without calling across Regions.`,
  region: PRIMARY,
  steps: [
    {
      id: 'primary',
      title: `A multi-Region primary key in ${PRIMARY}`,
      what: 'CreateKey with MultiRegion true.',
      why: 'Multi-Region key ids start with mrk-; every key of the set shares the id and the key material, so a ciphertext made by one decrypts with any other.',
      async run(ctx: StepContext) {
        const key = await createScenarioKey(ctx, { MultiRegion: true });
        ctx.check(key.KeyId?.startsWith('mrk-') && key.MultiRegion === true, `The key ${key.KeyId} is not a multi-Region key.`);
        const keyId = key.KeyId ?? '';
        ctx.set('primaryArn', key.Arn!);
        ctx.set('keyId', keyId);
        return `Primary key ${keyId} in ${PRIMARY}.`;
      },
    },
    {
      id: 'replicate',
      title: `Replicate it to ${REPLICA}`,
      what: `ReplicateKey with ReplicaRegion ${REPLICA}; DescribeKey in ${REPLICA} shows the set.`,
      why: 'The replica is a key of its own — its own policy, tags, aliases and state — with the same id and material. Each key of the set is billed as a key.',
      async run(ctx: StepContext) {
        const out = await ctx.call('ReplicateKey', { KeyId: ctx.get('primaryArn'), ReplicaRegion: REPLICA, Description: `Keydeck /learn: ${ctx.scenario} (replica)`, Tags: [{ TagKey: 'keydeck:scenario', TagValue: ctx.scenario }, { TagKey: 'keydeck:learner', TagValue: ctx.learner.slice(0, 256) }] }, (kms, i) => kms.send(new ReplicateKeyCommand(i)));
        const arn = out.ReplicaKeyMetadata?.Arn;
        ctx.check(arn, 'ReplicateKey returned no replica ARN.');
        ctx.keep({ arn, as: 'admin' });
        ctx.check(arn.includes(`:${REPLICA}:`) && out.ReplicaKeyMetadata?.KeyId === ctx.get('keyId'), `The replica ${arn} is not ${ctx.get('keyId')} in ${REPLICA}.`);
        ctx.set('replicaArn', arn);
        const described = await ctx.call('DescribeKey', { KeyId: arn }, (kms, i) => kms.send(new DescribeKeyCommand(i)), { region: REPLICA });
        const config = described.KeyMetadata?.MultiRegionConfiguration;
        ctx.check(config?.MultiRegionKeyType === 'REPLICA' && config.PrimaryKey?.Region === PRIMARY, 'DescribeKey in the replica Region does not show a REPLICA of the primary.');
        return `Replica ${arn} (same key id), primary in ${PRIMARY}.`;
      },
    },
    {
      id: 'encrypt-primary',
      title: `Encrypt in ${PRIMARY}`,
      what: `Encrypt a value with the primary key in ${PRIMARY}.`,
      why: 'An application in us-east-1 writes encrypted data to a table that is replicated to Europe.',
      async run(ctx: StepContext) {
        const value = `DE89 3704 0044 0532 ${randomSecret(3)}`;
        const out = await ctx.call('Encrypt', { KeyId: ctx.get('primaryArn'), Plaintext: new TextEncoder().encode(value), EncryptionContext: CONTEXT }, (kms, i) => kms.send(new EncryptCommand(i)), { secretRequest: ['Plaintext'] });
        ctx.set('ciphertext', b64(out.CiphertextBlob!));
        ctx.set('valueSha256', sha256(value));
        return `Encrypted in ${PRIMARY} with ${out.KeyId}.`;
      },
    },
    {
      id: 'decrypt-replica',
      title: `Decrypt in ${REPLICA} with the replica`,
      what: `Decrypt the ciphertext in ${REPLICA}, naming the replica key.`,
      why: 'The reader in Europe never calls us-east-1: lower latency, and it keeps working if the other Region is unreachable.',
      async run(ctx: StepContext) {
        const replica = ctx.get('replicaArn');
        const out = await ctx.call('Decrypt', { KeyId: replica, CiphertextBlob: fromB64(ctx.get('ciphertext')), EncryptionContext: CONTEXT }, (kms, i) => kms.send(new DecryptCommand(i)), { region: REPLICA, secretResponse: ['Plaintext'] });
        ctx.check(out.KeyId === replica, `Decrypt used ${out.KeyId}, not the replica.`);
        ctx.check(sha256(out.Plaintext!) === ctx.get('valueSha256'), 'The value decrypted in the replica Region differs.');
        return `Decrypted in ${REPLICA} by ${replica}; the value matches.`;
      },
    },
  ],
};
