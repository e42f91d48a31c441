/** Helpers the scenarios share: tagged keys, digests and local AES-256-GCM for envelope encryption. */
import crypto from 'node:crypto';
import { CreateKeyCommand, type CreateKeyCommandInput, type KeyMetadata } from '@aws-sdk/client-kms';
import type { CallOptions, StepContext } from '../runtime';

export const SCENARIO_TAG = 'keydeck:scenario';
export const LEARNER_TAG = 'keydeck:learner';

/** CreateKey, tagged with the scenario and the learner so "reset scenario" finds it; recorded for reset. */
export async function createScenarioKey(ctx: StepContext, input: Omit<CreateKeyCommandInput, 'Tags'> = {}, options: CallOptions = {}): Promise<KeyMetadata> {
  const request: CreateKeyCommandInput = {
    Description: `Keydeck /learn: ${ctx.scenario}`,
    ...input,
    Tags: [
      { TagKey: SCENARIO_TAG, TagValue: ctx.scenario },
      { TagKey: LEARNER_TAG, TagValue: ctx.learner.slice(0, 256) },
    ],
  };
  const out = await ctx.call('CreateKey', request, (kms, i) => kms.send(new CreateKeyCommand(i)), options);
  const meta = out.KeyMetadata;
  ctx.check(meta?.Arn, 'CreateKey returned no key ARN.');
  ctx.keep({ arn: meta.Arn, as: options.as ?? 'admin' });
  return meta;
}

export const sha256 = (data: Uint8Array | string) => crypto.createHash('sha256').update(data).digest('hex');
export const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
export const fromB64 = (text: string) => new Uint8Array(Buffer.from(text, 'base64'));

/** AES-256-GCM with a fresh 12-byte IV: iv | tag | ciphertext, as the envelope format keeps them. */
export function sealLocally(key: Uint8Array, plaintext: Uint8Array, aad: string): Uint8Array {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return new Uint8Array(Buffer.concat([iv, cipher.getAuthTag(), body]));
}

export function openLocally(key: Uint8Array, sealed: Uint8Array, aad: string): Uint8Array {
  const buf = Buffer.from(sealed);
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, buf.subarray(0, 12));
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(buf.subarray(12, 28));
  return new Uint8Array(Buffer.concat([decipher.update(buf.subarray(28)), decipher.final()]));
}

/** A plaintext a step needs once: random, so nothing secret is ever a constant in the code. */
export const randomSecret = (bytes = 18) => crypto.randomBytes(bytes).toString('base64url');
