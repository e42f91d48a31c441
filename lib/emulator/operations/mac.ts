/** HMAC keys: GenerateMac and VerifyMac. */
import crypto from 'node:crypto';
import type { GenerateMacRequest, GenerateMacResponse, MacAlgorithmSpec, VerifyMacRequest, VerifyMacResponse } from '@aws-sdk/client-kms';
import { InvalidKeyUsageException, KMSInvalidMacException } from '../errors';
import { hmac } from '../key-material';
import { algorithmsFor, MAC_ALGORITHMS } from '../key-specs';
import { F } from '../validate';
import { dryRun, operation, requireEnabled, requireUsage, resolveKey, type OperationContext } from './context';

function macKey(ctx: OperationContext, keyRef: string, algorithm: MacAlgorithmSpec, operationName: string) {
  const key = resolveKey(ctx, keyRef);
  requireEnabled(key);
  requireUsage(key, 'GENERATE_VERIFY_MAC', operationName);
  const supported = algorithmsFor(key.keySpec, key.keyUsage).MacAlgorithms ?? [];
  if (!supported.includes(algorithm)) throw new InvalidKeyUsageException(`${key.arn} does not support MAC algorithm ${algorithm}; it supports ${supported.join(', ')}.`);
  return key;
}

const macSpec = {
  Message: F.plaintext,
  KeyId: F.keyId,
  MacAlgorithm: { kind: 'enum', required: true, values: MAC_ALGORITHMS },
  GrantTokens: F.grantTokens,
  DryRun: F.dryRun,
} as const;

export const GenerateMac = operation<GenerateMacRequest, GenerateMacResponse>(macSpec, (ctx, input) => {
  const key = macKey(ctx, input.KeyId!, input.MacAlgorithm!, 'GenerateMac');
  dryRun(input);
  const mac = hmac(ctx.load(key), input.Message as Buffer);
  ctx.used(key, 'GenerateMac');
  return { Mac: mac, MacAlgorithm: input.MacAlgorithm, KeyId: key.arn };
});

export const VerifyMac = operation<VerifyMacRequest, VerifyMacResponse>({ ...macSpec, Mac: F.ciphertext }, (ctx, input) => {
  const key = macKey(ctx, input.KeyId!, input.MacAlgorithm!, 'VerifyMac');
  dryRun(input);
  const expected = hmac(ctx.load(key), input.Message as Buffer);
  const given = input.Mac as Buffer;
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) {
    throw new KMSInvalidMacException('The MAC is not valid for this message, key and MAC algorithm.');
  }
  ctx.used(key, 'VerifyMac');
  return { KeyId: key.arn, MacValid: true, MacAlgorithm: input.MacAlgorithm };
});
