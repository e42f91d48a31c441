/** Scenario 2: KMS encrypts at most 4,096 bytes, so larger data is encrypted locally under a data key (envelope encryption). */
import { DecryptCommand, EncryptCommand, GenerateDataKeyCommand } from '@aws-sdk/client-kms';
import type { StepContext } from '../runtime';
import type { ScenarioDefinition } from '../scenario';
import { b64, createScenarioKey, fromB64, openLocally, sealLocally, sha256 } from './helpers';

const CONTEXT = { document: 'quarterly-report.csv' };
const AAD = JSON.stringify(CONTEXT);
const DOCUMENT_BYTES = 64 * 1024;

/** A 64 KiB report: not secret, made the same each time so its digest can be checked after decryption. */
function report(): Uint8Array {
  const lines: string[] = ['day,region,orders,revenue'];
  for (let i = 0; lines.join('\n').length < DOCUMENT_BYTES; i++) lines.push(`2026-${String((i % 12) + 1).padStart(2, '0')}-01,eu-west-1,${1000 + i},${(i * 37.5).toFixed(2)}`);
  return new TextEncoder().encode(lines.join('\n').slice(0, DOCUMENT_BYTES));
}

export const envelope: ScenarioDefinition = {
  id: 'envelope-encryption',
  number: 2,
  title: 'Envelope encryption beyond 4 KB',
  summary: 'See KMS refuse 5,000 bytes, then encrypt a 64 KiB file locally with AES-256-GCM under a data key from GenerateDataKey.',
  region: 'us-east-1',
  steps: [
    {
      id: 'create-key',
      title: 'Create the key',
      what: 'CreateKey makes the symmetric key that will wrap data keys.',
      why: 'One KMS key can protect any number of data keys; the data never travels to KMS.',
      async run(ctx: StepContext) {
        const key = await createScenarioKey(ctx);
        ctx.set('keyArn', key.Arn!);
        return `Key ${key.KeyId} is ${key.KeyState}.`;
      },
    },
    {
      id: 'refused-5kb',
      title: 'Encrypt 5,000 bytes directly: refused',
      what: 'Encrypt is called with a 5,000-byte plaintext.',
      why: 'Encrypt takes 1 to 4,096 bytes (KMS API reference). It is meant for small secrets and keys, not files.',
      async run(ctx: StepContext) {
        const error = await ctx.refused(
          'Encrypt',
          { KeyId: ctx.get('keyArn'), Plaintext: new Uint8Array(5000).fill(65) },
          (kms, i) => kms.send(new EncryptCommand(i)),
          'ValidationException',
          { secretRequest: ['Plaintext'] },
        );
        ctx.check(/4096/.test(error.message), `The refusal does not mention the 4,096-byte limit: ${error.message}`);
        return `KMS answered ${error.name}: ${error.message}`;
      },
    },
    {
      id: 'generate-data-key',
      title: 'GenerateDataKey, then AES-256-GCM locally',
      what: 'GenerateDataKey returns a 256-bit data key twice: in plaintext and encrypted under the KMS key. The 64 KiB report is encrypted locally with the plaintext key, which is then dropped.',
      why: 'Only 32 bytes go through KMS whatever the size of the data; the encrypted data key is stored beside the ciphertext (the envelope).',
      async run(ctx: StepContext) {
        const out = await ctx.call(
          'GenerateDataKey',
          { KeyId: ctx.get('keyArn'), KeySpec: 'AES_256' as const, EncryptionContext: CONTEXT },
          (kms, i) => kms.send(new GenerateDataKeyCommand(i)),
          { secretResponse: ['Plaintext'] },
        );
        ctx.check(out.Plaintext?.length === 32 && out.CiphertextBlob, 'GenerateDataKey did not return a 32-byte data key and its encrypted copy.');
        const document = report();
        const sealed = sealLocally(out.Plaintext, document, AAD);
        out.Plaintext.fill(0);
        ctx.set('encryptedDataKey', b64(out.CiphertextBlob));
        ctx.set('sealed', b64(sealed));
        ctx.set('documentSha256', sha256(document));
        ctx.note('The envelope', `encrypted data key: ${out.CiphertextBlob.length} bytes · AES-256-GCM output (IV 12 + tag 16 + data): ${sealed.length} bytes for a ${document.length}-byte document`);
        return `Encrypted ${document.length} bytes locally; KMS only saw the request for a data key.`;
      },
    },
    {
      id: 'open-envelope',
      title: 'Open the envelope',
      what: 'Decrypt turns the encrypted data key back into the data key; AES-256-GCM then decrypts and authenticates the report locally.',
      why: 'Anyone with the envelope still needs kms:Decrypt on the key: access control and audit stay in KMS.',
      async run(ctx: StepContext) {
        const out = await ctx.call(
          'Decrypt',
          { CiphertextBlob: fromB64(ctx.get('encryptedDataKey')), EncryptionContext: CONTEXT },
          (kms, i) => kms.send(new DecryptCommand(i)),
          { secretResponse: ['Plaintext'] },
        );
        ctx.check(out.Plaintext?.length === 32, 'Decrypt did not return the 32-byte data key.');
        let document: Uint8Array;
        try {
          document = openLocally(out.Plaintext, fromB64(ctx.get('sealed')), AAD);
        } finally {
          out.Plaintext.fill(0);
        }
        ctx.check(sha256(document) === ctx.get('documentSha256'), 'The decrypted report differs from the original.');
        return `The ${document.length}-byte report decrypted and authenticated; its SHA-256 matches.`;
      },
    },
  ],
};
