/**
 * The AWS CLI twin of any call a scenario makes. Encrypt, Decrypt, ReEncrypt and GenerateDataKey reuse the
 * playground's builder (lib/playground/cli.ts); the other operations map each request member to its CLI
 * option (`KeyId` → `--key-id`), structures as JSON and blobs as `fileb://` files. Pure.
 */
import { cliTwin, shellQuote, type CliTarget } from '@/lib/playground/cli';
import type { Json } from './types';

const kebab = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/([A-Z])([A-Z][a-z])/g, '$1-$2').toLowerCase();

/** The demo credentials of the identity a call is made as: emulator fixtures, never a real secret. */
export function credentialsLine(accessKeyId: string, secretAccessKey: string): string {
  return `export AWS_ACCESS_KEY_ID=${shellQuote(accessKeyId)} AWS_SECRET_ACCESS_KEY=${shellQuote(secretAccessKey)}`;
}

function targetArgs(target: CliTarget): string[] {
  const args = ['--region', shellQuote(target.region)];
  if (target.mode === 'demo' && target.endpointUrl) args.push('--endpoint-url', shellQuote(target.endpointUrl));
  return args;
}

const asRecord = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, string>) : undefined);
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** The CLI lines for one call; `input` is the SDK input (blobs as Uint8Array). */
export function cliCommands(operation: string, input: Record<string, unknown>, target: CliTarget): string[] {
  switch (operation) {
    case 'Encrypt':
      return cliTwin({ op: 'encrypt', keyId: String(input.KeyId), encryptionContext: asRecord(input.EncryptionContext) }, target).commands;
    case 'Decrypt':
      return cliTwin({ op: 'decrypt', keyId: str(input.KeyId), encryptionContext: asRecord(input.EncryptionContext) }, target).commands;
    case 'ReEncrypt':
      return cliTwin(
        {
          op: 're-encrypt',
          sourceKeyId: str(input.SourceKeyId),
          destinationKeyId: String(input.DestinationKeyId),
          sourceEncryptionContext: asRecord(input.SourceEncryptionContext),
          destinationEncryptionContext: asRecord(input.DestinationEncryptionContext),
        },
        target,
      ).commands;
    case 'GenerateDataKey':
      return cliTwin({ op: 'generate-data-key', keyId: String(input.KeyId), encryptionContext: asRecord(input.EncryptionContext) }, target).commands;
  }
  const args: string[] = [];
  for (const [member, value] of Object.entries(input)) {
    if (value === undefined) continue;
    const option = `--${kebab(member)}`;
    if (typeof value === 'boolean') args.push(value ? option : `--no-${kebab(member)}`);
    else if (value instanceof Uint8Array) args.push(option, `fileb://${kebab(member)}.bin`);
    else if (typeof value === 'string') args.push(option, shellQuote(value));
    else if (typeof value === 'number') args.push(option, String(value));
    else args.push(option, shellQuote(JSON.stringify(value as Json)));
  }
  return [['aws kms', kebab(operation), ...args, ...targetArgs(target)].join(' ')];
}
