/**
 * The playground's KMS calls, written against the SDK client only: each takes validated input, makes one
 * call and returns it as a PlaygroundCall (request and response as JSON, secret members named for masking).
 */
import {
  DecryptCommand,
  DeriveSharedSecretCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GenerateMacCommand,
  GenerateRandomCommand,
  GetPublicKeyCommand,
  ReEncryptCommand,
  SignCommand,
  VerifyCommand,
  VerifyMacCommand,
  type KMSClient,
  type MacAlgorithmSpec,
  type SigningAlgorithmSpec,
} from '@aws-sdk/client-kms';
import type { Json, PlaygroundCall } from './call';
import type {
  DecryptDataKeyInput,
  DecryptInput,
  DeriveSharedSecretInput,
  EncryptInput,
  GenerateDataKeyInput,
  GenerateMacInput,
  GenerateRandomInput,
  GetPublicKeyInput,
  ReEncryptInput,
  SignInput,
  VerifyInput,
  VerifyMacInput,
} from './schemas';
import { toJson } from './wire-json';

const bytes = (base64: string) => new Uint8Array(Buffer.from(base64, 'base64'));

const asRecord = (value: unknown) => (toJson(value) ?? {}) as Record<string, Json>;
const nonEmpty = (context?: Record<string, string>) => (context && Object.keys(context).length > 0 ? context : undefined);

interface Sent {
  operation: string;
  region: string;
  mode: 'demo' | 'aws';
  request: object;
  secretRequest?: string[];
  secretResponse?: string[];
}

async function call<O extends { $metadata: { requestId?: string } }>(sent: Sent, send: () => Promise<O>): Promise<PlaygroundCall> {
  const at = Date.now();
  const output = await send();
  return {
    operation: sent.operation,
    region: sent.region,
    mode: sent.mode,
    request: asRecord(sent.request),
    response: asRecord(output),
    secret: { request: sent.secretRequest ?? [], response: sent.secretResponse ?? [] },
    requestId: output.$metadata.requestId,
    at,
  };
}

export type Mode = 'demo' | 'aws';

export function encrypt(kms: KMSClient, mode: Mode, input: EncryptInput) {
  const request = { KeyId: input.keyId, Plaintext: bytes(input.plaintext), EncryptionContext: nonEmpty(input.encryptionContext), EncryptionAlgorithm: input.encryptionAlgorithm };
  return call({ operation: 'Encrypt', region: input.region, mode, request, secretRequest: ['Plaintext'] }, () => kms.send(new EncryptCommand(request)));
}

export function decrypt(kms: KMSClient, mode: Mode, input: DecryptInput) {
  const request = { KeyId: input.keyId, CiphertextBlob: bytes(input.ciphertext), EncryptionContext: nonEmpty(input.encryptionContext), EncryptionAlgorithm: input.encryptionAlgorithm };
  return call({ operation: 'Decrypt', region: input.region, mode, request, secretResponse: ['Plaintext'] }, () => kms.send(new DecryptCommand(request)));
}

export function reEncrypt(kms: KMSClient, mode: Mode, input: ReEncryptInput) {
  const request = {
    CiphertextBlob: bytes(input.ciphertext),
    SourceKeyId: input.sourceKeyId,
    SourceEncryptionContext: nonEmpty(input.sourceEncryptionContext),
    DestinationKeyId: input.destinationKeyId,
    DestinationEncryptionContext: nonEmpty(input.destinationEncryptionContext),
  };
  return call({ operation: 'ReEncrypt', region: input.region, mode, request }, () => kms.send(new ReEncryptCommand(request)));
}

export function generateRandom(kms: KMSClient, mode: Mode, input: GenerateRandomInput) {
  const request = { NumberOfBytes: input.numberOfBytes };
  return call({ operation: 'GenerateRandom', region: input.region, mode, request, secretResponse: ['Plaintext'] }, () => kms.send(new GenerateRandomCommand(request)));
}

export function sign(kms: KMSClient, mode: Mode, input: SignInput) {
  const request = { KeyId: input.keyId, Message: bytes(input.message), MessageType: input.messageType, SigningAlgorithm: input.signingAlgorithm as SigningAlgorithmSpec };
  return call({ operation: 'Sign', region: input.region, mode, request }, () => kms.send(new SignCommand(request)));
}

export function verify(kms: KMSClient, mode: Mode, input: VerifyInput) {
  const request = {
    KeyId: input.keyId,
    Message: bytes(input.message),
    MessageType: input.messageType,
    SigningAlgorithm: input.signingAlgorithm as SigningAlgorithmSpec,
    Signature: bytes(input.signature),
  };
  return call({ operation: 'Verify', region: input.region, mode, request }, () => kms.send(new VerifyCommand(request)));
}

export function getPublicKey(kms: KMSClient, mode: Mode, input: GetPublicKeyInput) {
  const request = { KeyId: input.keyId };
  return call({ operation: 'GetPublicKey', region: input.region, mode, request }, () => kms.send(new GetPublicKeyCommand(request)));
}

export function generateMac(kms: KMSClient, mode: Mode, input: GenerateMacInput) {
  const request = { KeyId: input.keyId, Message: bytes(input.message), MacAlgorithm: input.macAlgorithm as MacAlgorithmSpec };
  return call({ operation: 'GenerateMac', region: input.region, mode, request }, () => kms.send(new GenerateMacCommand(request)));
}

export function verifyMac(kms: KMSClient, mode: Mode, input: VerifyMacInput) {
  const request = { KeyId: input.keyId, Message: bytes(input.message), MacAlgorithm: input.macAlgorithm as MacAlgorithmSpec, Mac: bytes(input.mac) };
  return call({ operation: 'VerifyMac', region: input.region, mode, request }, () => kms.send(new VerifyMacCommand(request)));
}

export function deriveSharedSecret(kms: KMSClient, mode: Mode, input: DeriveSharedSecretInput) {
  const request = { KeyId: input.keyId, KeyAgreementAlgorithm: input.keyAgreementAlgorithm, PublicKey: bytes(input.publicKey) };
  return call({ operation: 'DeriveSharedSecret', region: input.region, mode, request, secretResponse: ['SharedSecret'] }, () =>
    kms.send(new DeriveSharedSecretCommand(request)),
  );
}

/** For envelope encryption in the browser: the response's Plaintext is the data key, for that tab only. */
export function generateDataKey(kms: KMSClient, mode: Mode, input: GenerateDataKeyInput) {
  const request = { KeyId: input.keyId, KeySpec: 'AES_256' as const, EncryptionContext: nonEmpty(input.encryptionContext) };
  return call({ operation: 'GenerateDataKey', region: input.region, mode, request, secretResponse: ['Plaintext'] }, () => kms.send(new GenerateDataKeyCommand(request)));
}

export function decryptDataKey(kms: KMSClient, mode: Mode, input: DecryptDataKeyInput) {
  return decrypt(kms, mode, { region: input.region, keyId: input.keyArn, ciphertext: input.encryptedDataKey, encryptionContext: input.encryptionContext });
}
