/** Scenario 1: a secret kept encrypted in an environment variable and decrypted when the application starts. */
import { DecryptCommand, EncryptCommand } from '@aws-sdk/client-kms';
import type { StepContext } from '../runtime';
import type { ScenarioDefinition } from '../scenario';
import { createScenarioKey, sha256 } from './helpers';
import crypto from 'node:crypto';

const CONTEXT = { app: 'orders', purpose: 'database-password' };

export const secretsInCode: ScenarioDefinition = {
  id: 'secrets-in-code',
  number: 1,
  title: 'Secrets in code',
  summary: 'Encrypt a database password once, keep only the ciphertext in an environment variable, and decrypt it when the application starts.',
  region: 'us-east-1',
  steps: [
    {
      id: 'create-key',
      title: 'Create a key for the application',
      what: 'CreateKey makes a symmetric customer managed key with the default key policy.',
      why: 'The secret will be protected by a key that never leaves KMS; who may decrypt is decided by the key policy and IAM, not by who can read the code.',
      async run(ctx: StepContext) {
        const key = await createScenarioKey(ctx, { KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT' });
        ctx.check(key.KeyState === 'Enabled', `The new key is ${key.KeyState}, not Enabled.`);
        ctx.set('keyArn', key.Arn!);
        return `Key ${key.KeyId} is Enabled for ENCRYPT_DECRYPT.`;
      },
    },
    {
      id: 'encrypt-secret',
      title: 'Encrypt the password, keep the ciphertext',
      what: 'Encrypt sends the password with an encryption context (app=orders, purpose=database-password); the ciphertext goes into DB_PASSWORD_ENCRYPTED.',
      why: 'The ciphertext is safe to commit or put in a deployment manifest: it is useless without kms:Decrypt on this key, and the context binds it to its purpose.',
      async run(ctx: StepContext) {
        const password = crypto.randomBytes(18).toString('base64url');
        const out = await ctx.call(
          'Encrypt',
          { KeyId: ctx.get('keyArn'), Plaintext: new TextEncoder().encode(password), EncryptionContext: CONTEXT },
          (kms, i) => kms.send(new EncryptCommand(i)),
          { secretRequest: ['Plaintext'] },
        );
        ctx.check(out.CiphertextBlob && out.CiphertextBlob.length > password.length, 'Encrypt returned no ciphertext.');
        ctx.check(out.KeyId === ctx.get('keyArn'), `Encrypt used ${out.KeyId}, not the scenario's key.`);
        const env = Buffer.from(out.CiphertextBlob).toString('base64');
        ctx.set('ciphertext', env);
        // Only a digest is kept, so the check at start-up can compare without storing the password.
        ctx.set('passwordSha256', sha256(password));
        ctx.note('The environment variable', `DB_PASSWORD_ENCRYPTED=${env}`);
        return `The ${password.length}-character password became a ${out.CiphertextBlob.length}-byte ciphertext under the key.`;
      },
    },
    {
      id: 'decrypt-at-start',
      title: 'Decrypt at start, as the application',
      what: 'The app role calls Decrypt with the ciphertext from the environment and the same encryption context.',
      why: 'The application holds no secret of its own: its IAM role is allowed kms:Decrypt (the default key policy lets IAM policies grant it), so the password exists only in the running process.',
      async run(ctx: StepContext) {
        const out = await ctx.call(
          'Decrypt',
          { CiphertextBlob: Buffer.from(ctx.get('ciphertext'), 'base64'), EncryptionContext: CONTEXT },
          (kms, i) => kms.send(new DecryptCommand(i)),
          { as: 'app', secretResponse: ['Plaintext'] },
        );
        ctx.check(out.Plaintext, 'Decrypt returned no plaintext.');
        ctx.check(sha256(out.Plaintext) === ctx.get('passwordSha256'), 'The decrypted password differs from the one encrypted.');
        ctx.check(out.KeyId === ctx.get('keyArn'), `Decrypt used ${out.KeyId}.`);
        ctx.note('At start-up (Node.js)', "const { Plaintext } = await kms.send(new DecryptCommand({ CiphertextBlob: Buffer.from(process.env.DB_PASSWORD_ENCRYPTED, 'base64'), EncryptionContext: { app: 'orders', purpose: 'database-password' } }));");
        return 'The app role got back the same password (SHA-256 digests match); KMS found the key from the ciphertext itself.';
      },
    },
    {
      id: 'wrong-context',
      title: 'Without the context, decryption fails',
      what: 'Decrypt the same ciphertext without its encryption context.',
      why: 'The encryption context is authenticated data: a ciphertext copied to another purpose cannot be decrypted there, and CloudTrail records the context of every use.',
      async run(ctx: StepContext) {
        const error = await ctx.refused(
          'Decrypt',
          { CiphertextBlob: Buffer.from(ctx.get('ciphertext'), 'base64') },
          (kms, i) => kms.send(new DecryptCommand(i)),
          'InvalidCiphertextException',
          { as: 'app', secretResponse: ['Plaintext'] },
        );
        return `KMS refused with ${error.name}: the context is part of what was encrypted.`;
      },
    },
  ],
};
