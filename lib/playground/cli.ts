/**
 * The AWS CLI twin of every playground action: the exact commands that make the same call, reading and
 * writing the files the page offers for download (plaintext.bin, ciphertext.bin, signature.bin …). Pure,
 * so a test can run what the page shows. In demo mode `--endpoint-url` points at the console's /api/kms.
 */

export interface CliTarget {
  mode: 'demo' | 'aws';
  region: string;
  /** Demo mode: the console's emulator endpoint, e.g. http://localhost:3000/api/kms. */
  endpointUrl?: string;
}

export type CliOperation =
  | { op: 'encrypt'; keyId: string; encryptionContext?: Record<string, string>; encryptionAlgorithm?: string }
  | { op: 'decrypt'; keyId?: string; encryptionContext?: Record<string, string>; encryptionAlgorithm?: string }
  | { op: 're-encrypt'; sourceKeyId?: string; destinationKeyId: string; sourceEncryptionContext?: Record<string, string>; destinationEncryptionContext?: Record<string, string> }
  | { op: 'generate-random'; numberOfBytes: number }
  | { op: 'sign'; keyId: string; messageType: string; signingAlgorithm: string }
  | { op: 'verify'; keyId: string; messageType: string; signingAlgorithm: string }
  | { op: 'get-public-key'; keyId: string }
  | { op: 'generate-mac'; keyId: string; macAlgorithm: string }
  | { op: 'verify-mac'; keyId: string; macAlgorithm: string }
  | { op: 'derive-shared-secret'; keyId: string; keyAgreementAlgorithm: string }
  | { op: 'generate-data-key'; keyId: string; encryptionContext?: Record<string, string> }
  | { op: 'envelope-encrypt'; keyId: string; encryptionContext?: Record<string, string>; inFile: string; outFile: string }
  | { op: 'envelope-decrypt'; inFile: string; outFile: string }
  | { op: 'lookup-events'; eventName: string; startTime: string };

export interface CliTwin {
  /** Shell lines to run once first (demo credentials), or none. */
  setup: string[];
  /** The commands, in order; each a single shell line. */
  commands: string[];
  /** Files the commands read, and what they must hold. */
  reads: Record<string, string>;
  /** Files the commands write. */
  writes: Record<string, string>;
}

/** The demo's credentials (the emulator's admin, `test`/`test`): never a real secret. */
export const DEMO_CREDENTIALS = 'export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test';

/** Quotes a value for a POSIX shell; safe characters stay bare so commands remain readable. */
export function shellQuote(value: string): string {
  if (value !== '' && /^[A-Za-z0-9_./:=@%+,-]+$/.test(value)) return value;
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

const json = (context: Record<string, string>) => shellQuote(JSON.stringify(context));
const hasContext = (context?: Record<string, string>): context is Record<string, string> => !!context && Object.keys(context).length > 0;

/** `--region` always, and in demo mode `--endpoint-url`. */
function targetArgs(target: CliTarget): string[] {
  const args = ['--region', shellQuote(target.region)];
  if (target.mode === 'demo' && target.endpointUrl) args.push('--endpoint-url', shellQuote(target.endpointUrl));
  return args;
}

/** A blob result written as raw bytes: the CLI prints blobs in base64. */
const toFile = (member: string, file: string) => `--query ${member} --output text | base64 --decode > ${file}`;

function kms(target: CliTarget, sub: string, args: string[], tail: string): string {
  return ['aws kms', sub, ...args, ...targetArgs(target), tail].filter(Boolean).join(' ');
}

export function cliTwin(operation: CliOperation, target: CliTarget): CliTwin {
  const setup = target.mode === 'demo' ? [DEMO_CREDENTIALS] : [];
  const one = (command: string, reads: Record<string, string>, writes: Record<string, string>): CliTwin => ({ setup, commands: [command], reads, writes });
  switch (operation.op) {
    case 'encrypt': {
      const args = ['--key-id', shellQuote(operation.keyId), '--plaintext', 'fileb://plaintext.bin'];
      if (hasContext(operation.encryptionContext)) args.push('--encryption-context', json(operation.encryptionContext));
      if (operation.encryptionAlgorithm && operation.encryptionAlgorithm !== 'SYMMETRIC_DEFAULT') args.push('--encryption-algorithm', operation.encryptionAlgorithm);
      return one(kms(target, 'encrypt', args, toFile('CiphertextBlob', 'ciphertext.bin')), { 'plaintext.bin': 'the plaintext (at most 4,096 bytes)' }, { 'ciphertext.bin': 'the ciphertext blob' });
    }
    case 'decrypt': {
      const args = ['--ciphertext-blob', 'fileb://ciphertext.bin'];
      if (operation.keyId) args.push('--key-id', shellQuote(operation.keyId));
      if (hasContext(operation.encryptionContext)) args.push('--encryption-context', json(operation.encryptionContext));
      if (operation.encryptionAlgorithm && operation.encryptionAlgorithm !== 'SYMMETRIC_DEFAULT') args.push('--encryption-algorithm', operation.encryptionAlgorithm);
      return one(kms(target, 'decrypt', args, toFile('Plaintext', 'decrypted.bin')), { 'ciphertext.bin': 'the ciphertext blob' }, { 'decrypted.bin': 'the plaintext' });
    }
    case 're-encrypt': {
      const args = ['--ciphertext-blob', 'fileb://ciphertext.bin'];
      if (operation.sourceKeyId) args.push('--source-key-id', shellQuote(operation.sourceKeyId));
      if (hasContext(operation.sourceEncryptionContext)) args.push('--source-encryption-context', json(operation.sourceEncryptionContext));
      args.push('--destination-key-id', shellQuote(operation.destinationKeyId));
      if (hasContext(operation.destinationEncryptionContext)) args.push('--destination-encryption-context', json(operation.destinationEncryptionContext));
      return one(kms(target, 're-encrypt', args, toFile('CiphertextBlob', 'reencrypted.bin')), { 'ciphertext.bin': 'the ciphertext blob' }, { 'reencrypted.bin': 'the ciphertext under the destination key' });
    }
    case 'generate-random':
      return one(kms(target, 'generate-random', ['--number-of-bytes', String(operation.numberOfBytes)], toFile('Plaintext', 'random.bin')), {}, { 'random.bin': 'the random bytes' });
    case 'sign': {
      const args = ['--key-id', shellQuote(operation.keyId), '--message', 'fileb://message.bin', '--message-type', operation.messageType, '--signing-algorithm', operation.signingAlgorithm];
      return one(kms(target, 'sign', args, toFile('Signature', 'signature.bin')), { 'message.bin': messageWhat(operation.messageType) }, { 'signature.bin': 'the signature' });
    }
    case 'verify': {
      const args = [
        '--key-id', shellQuote(operation.keyId), '--message', 'fileb://message.bin', '--message-type', operation.messageType,
        '--signing-algorithm', operation.signingAlgorithm, '--signature', 'fileb://signature.bin',
      ];
      return one(kms(target, 'verify', args, '--query SignatureValid --output text'), { 'message.bin': messageWhat(operation.messageType), 'signature.bin': 'the signature' }, {});
    }
    case 'get-public-key':
      return one(kms(target, 'get-public-key', ['--key-id', shellQuote(operation.keyId)], toFile('PublicKey', 'public-key.der')), {}, { 'public-key.der': 'the public key (DER SubjectPublicKeyInfo)' });
    case 'generate-mac': {
      const args = ['--key-id', shellQuote(operation.keyId), '--message', 'fileb://message.bin', '--mac-algorithm', operation.macAlgorithm];
      return one(kms(target, 'generate-mac', args, toFile('Mac', 'mac.bin')), { 'message.bin': 'the message' }, { 'mac.bin': 'the MAC' });
    }
    case 'verify-mac': {
      const args = ['--key-id', shellQuote(operation.keyId), '--message', 'fileb://message.bin', '--mac-algorithm', operation.macAlgorithm, '--mac', 'fileb://mac.bin'];
      return one(kms(target, 'verify-mac', args, '--query MacValid --output text'), { 'message.bin': 'the message', 'mac.bin': 'the MAC' }, {});
    }
    case 'derive-shared-secret': {
      const args = ['--key-id', shellQuote(operation.keyId), '--key-agreement-algorithm', operation.keyAgreementAlgorithm, '--public-key', 'fileb://peer-public-key.der'];
      return one(kms(target, 'derive-shared-secret', args, toFile('SharedSecret', 'shared-secret.bin')), { 'peer-public-key.der': 'the peer public key (DER)' }, { 'shared-secret.bin': 'the shared secret' });
    }
    case 'generate-data-key': {
      const args = ['--key-id', shellQuote(operation.keyId), '--key-spec', 'AES_256'];
      if (hasContext(operation.encryptionContext)) args.push('--encryption-context', json(operation.encryptionContext));
      return one(kms(target, 'generate-data-key', args, '--output json'), {}, {});
    }
    case 'envelope-encrypt':
    case 'envelope-decrypt': {
      const verb = operation.op === 'envelope-encrypt' ? 'encrypt' : 'decrypt';
      const args = ['npm run envelope --', verb];
      if (operation.op === 'envelope-encrypt') {
        args.push('--key', shellQuote(operation.keyId));
        for (const [k, v] of Object.entries(operation.encryptionContext ?? {})) args.push('--context', shellQuote(`${k}=${v}`));
      }
      args.push('--in', shellQuote(operation.inFile), '--out', shellQuote(operation.outFile), ...targetArgs(target));
      return one(args.join(' '), { [operation.inFile]: verb === 'encrypt' ? 'the file to encrypt' : 'the envelope' }, { [operation.outFile]: verb === 'encrypt' ? 'the envelope' : 'the decrypted file' });
    }
    case 'lookup-events': {
      const args = ['aws cloudtrail lookup-events', '--lookup-attributes', `AttributeKey=EventName,AttributeValue=${shellQuote(operation.eventName)}`, '--start-time', shellQuote(operation.startTime), '--max-results', '50', ...targetArgs(target)];
      return one(args.join(' '), {}, {});
    }
  }
}

function messageWhat(messageType: string): string {
  return messageType === 'DIGEST' ? 'the message digest (the hash of the message, not the message)' : 'the message';
}

const HASH: Record<string, string> = { '256': 'sha256', '384': 'sha384', '512': 'sha512' };

/**
 * The OpenSSL commands that verify a KMS signature without KMS, from public-key.der, message.bin and
 * signature.bin; `null` with a reason when OpenSSL 3.0 cannot (Ed25519ph, ML-DSA, SM2).
 */
export function opensslVerify(signingAlgorithm: string, messageType: string): { commands: string[] } | { commands: null; reason: string } {
  const toPem = 'openssl pkey -pubin -inform DER -in public-key.der -out public-key.pem';
  const hash = HASH[/_(256|384|512)$/.exec(signingAlgorithm)?.[1] ?? ''];
  const pss = signingAlgorithm.startsWith('RSASSA_PSS_');
  const pkcs1 = signingAlgorithm.startsWith('RSASSA_PKCS1_V1_5_');
  const ecdsa = signingAlgorithm.startsWith('ECDSA_');
  if (signingAlgorithm === 'ED25519_SHA_512' && messageType === 'RAW') {
    return { commands: [toPem, 'openssl pkeyutl -verify -pubin -inkey public-key.pem -rawin -in message.bin -sigfile signature.bin'] };
  }
  if (!hash || !(pss || pkcs1 || ecdsa)) return { commands: null, reason: `OpenSSL 3.0's command line cannot verify ${signingAlgorithm} signatures; verify them with a library that supports the algorithm.` };
  if (messageType === 'RAW') {
    const pssOpts = pss ? ' -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:-1' : '';
    return { commands: [toPem, `openssl dgst -${hash} -verify public-key.pem${pssOpts} -signature signature.bin message.bin`] };
  }
  const pssOpts = pss ? ' -pkeyopt rsa_padding_mode:pss -pkeyopt rsa_pss_saltlen:-1' : '';
  return { commands: [toPem, `openssl pkeyutl -verify -pubin -inkey public-key.pem -in message.bin -sigfile signature.bin -pkeyopt digest:${hash}${pssOpts}`] };
}

/** The twin as one copyable block: setup, then the commands. */
export function cliText(twin: CliTwin): string {
  return [...twin.setup, ...twin.commands].join('\n');
}
