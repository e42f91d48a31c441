/**
 * Input validation for JSON 1.1 requests: checks each member against the constraints of the KMS API
 * model and reports failures in AWS's own words ("1 validation error detected: Value at 'plaintext'
 * failed to satisfy constraint: Member must have length less than or equal to 4096").
 */
import { SerializationException, ValidationException } from './errors';

export type Field =
  | { kind: 'string'; required?: boolean; min?: number; max?: number; pattern?: RegExp; sensitive?: boolean }
  | { kind: 'blob'; required?: boolean; min?: number; max?: number }
  | { kind: 'int'; required?: boolean; min?: number; max?: number }
  | { kind: 'bool'; required?: boolean }
  | { kind: 'enum'; required?: boolean; values: readonly string[] }
  | { kind: 'stringMap'; required?: boolean }
  | { kind: 'stringList'; required?: boolean; min?: number; max?: number; item?: { min?: number; max?: number } }
  | { kind: 'tags'; required?: boolean }
  | { kind: 'any' };

/** A spec names every member of the SDK input type, so a renamed or missing field fails to compile. */
export type Spec<I> = { [K in keyof I]-?: Field };

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

function describe(value: unknown, sensitive: boolean): string {
  if (sensitive) return '';
  if (Array.isArray(value)) return `'[${value.join(', ')}]' `;
  return `'${String(value)}' `;
}

/**
 * Decodes base64 strictly. Node's decoder skips characters outside the alphabet, so a string with any
 * such character (whitespace, '!', …) decodes to fewer bytes than its length promises; comparing lengths catches it
 * without a regular expression over every (up to 8 KiB) blob on the hot path.
 */
export function decodeBlob(member: string, value: unknown): Buffer {
  if (typeof value === 'string') {
    const padding = value.endsWith('==') ? 2 : value.endsWith('=') ? 1 : 0;
    const bytes = Buffer.from(value, 'base64');
    const urlSafe = value.includes('-') || value.includes('_'); // Node also accepts base64url; AWS does not
    if (value.length % 4 === 0 && !urlSafe && bytes.length === (value.length / 4) * 3 - padding) return bytes;
  }
  throw new SerializationException(`Could not deserialize '${member}': expected a base64-encoded blob`);
}

/** Validates `raw` against `spec`, decoding blobs to Buffers. Unknown members are ignored, as AWS does. */
export function validate<I>(spec: Spec<I>, raw: unknown): I {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new SerializationException('Start of structure or map found where not expected');
  }
  const input = raw as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const errors: string[] = [];
  for (const member of Object.keys(spec) as (keyof I & string)[]) {
    const field = (spec as Record<string, Field>)[member];
    const value = input[member];
    const at = lowerFirst(member);
    const fail = (constraint: string, shown = value, sensitive = false) =>
      errors.push(`Value ${describe(shown, sensitive)}at '${at}' failed to satisfy constraint: ${constraint}`);
    if (value === undefined || value === null) {
      if ('required' in field && field.required) errors.push(`Value null at '${at}' failed to satisfy constraint: Member must not be null`);
      continue;
    }
    switch (field.kind) {
      case 'any':
        out[member] = value;
        break;
      case 'string': {
        if (typeof value !== 'string') throw new SerializationException(`STRING_VALUE can not be converted to a ${typeof value} for '${member}'`);
        const sensitive = field.sensitive ?? false;
        if (field.min !== undefined && value.length < field.min) fail(`Member must have length greater than or equal to ${field.min}`, value, sensitive);
        else if (field.max !== undefined && value.length > field.max) fail(`Member must have length less than or equal to ${field.max}`, value, sensitive);
        else if (field.pattern && !field.pattern.test(value)) fail(`Member must satisfy regular expression pattern: ${field.pattern.source}`, value, sensitive);
        out[member] = value;
        break;
      }
      case 'blob': {
        const bytes = decodeBlob(member, value);
        if (field.min !== undefined && bytes.length < field.min) fail(`Member must have length greater than or equal to ${field.min}`, bytes, true);
        else if (field.max !== undefined && bytes.length > field.max) fail(`Member must have length less than or equal to ${field.max}`, bytes, true);
        out[member] = bytes;
        break;
      }
      case 'int': {
        if (typeof value !== 'number' || !Number.isInteger(value)) throw new SerializationException(`NUMBER_VALUE can not be converted to an integer for '${member}'`);
        if (field.min !== undefined && value < field.min) fail(`Member must have value greater than or equal to ${field.min}`);
        else if (field.max !== undefined && value > field.max) fail(`Member must have value less than or equal to ${field.max}`);
        out[member] = value;
        break;
      }
      case 'bool':
        if (typeof value !== 'boolean') throw new SerializationException(`Expected a boolean for '${member}'`);
        out[member] = value;
        break;
      case 'enum':
        if (typeof value !== 'string') throw new SerializationException(`STRING_VALUE can not be converted to a ${typeof value} for '${member}'`);
        if (!field.values.includes(value)) fail(`Member must satisfy enum value set: [${field.values.join(', ')}]`);
        out[member] = value;
        break;
      case 'stringMap': {
        if (typeof value !== 'object' || Array.isArray(value)) throw new SerializationException(`Expected a map for '${member}'`);
        for (const v of Object.values(value as object)) {
          if (typeof v !== 'string') throw new SerializationException(`Expected string values in '${member}'`);
        }
        out[member] = value;
        break;
      }
      case 'stringList': {
        if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw new SerializationException(`Expected a list of strings for '${member}'`);
        if (field.min !== undefined && value.length < field.min) fail(`Member must have length greater than or equal to ${field.min}`);
        else if (field.max !== undefined && value.length > field.max) fail(`Member must have length less than or equal to ${field.max}`);
        else if (field.item) {
          const { min = 0, max = Infinity } = field.item;
          const bad = (value as string[]).find((v) => v.length < min || v.length > max);
          if (bad !== undefined) {
            fail(bad.length < min ? `Member must have length greater than or equal to ${min}` : `Member must have length less than or equal to ${max}`, bad);
          }
        }
        out[member] = value;
        break;
      }
      case 'tags': {
        if (!Array.isArray(value)) throw new SerializationException(`Expected a list for '${member}'`);
        for (const [i, tag] of value.entries()) {
          const t = tag as { TagKey?: unknown; TagValue?: unknown } | null;
          if (!t || typeof t.TagKey !== 'string' || typeof t.TagValue !== 'string') {
            errors.push(`Value null at '${at}.${i + 1}.member.${t && typeof t.TagKey === 'string' ? 'tagValue' : 'tagKey'}' failed to satisfy constraint: Member must not be null`);
            continue;
          }
          if (t.TagKey.length < 1 || t.TagKey.length > 128) errors.push(`Value '${t.TagKey}' at '${at}.${i + 1}.member.tagKey' failed to satisfy constraint: Member must have length ${t.TagKey.length < 1 ? 'greater than or equal to 1' : 'less than or equal to 128'}`);
          if (t.TagValue.length > 256) errors.push(`Value '${t.TagValue}' at '${at}.${i + 1}.member.tagValue' failed to satisfy constraint: Member must have length less than or equal to 256`);
        }
        out[member] = value.map((t: { TagKey: string; TagValue: string }) => ({ TagKey: t.TagKey, TagValue: t.TagValue }));
        break;
      }
    }
  }
  if (errors.length > 0) {
    const n = errors.length;
    throw new ValidationException(`${n} validation error${n === 1 ? '' : 's'} detected: ${errors.join('; ')}`);
  }
  return out as I;
}

/** Frequently used member constraints from the KMS API model. */
export const F = {
  keyId: { kind: 'string', required: true, min: 1, max: 2048 },
  optionalKeyId: { kind: 'string', min: 1, max: 2048 },
  limit: { kind: 'int', min: 1, max: 1000 },
  marker: { kind: 'string', min: 1, max: 1024, pattern: /^[\u0020-\u00FF]*$/ },
  context: { kind: 'stringMap' },
  grantTokens: { kind: 'stringList', min: 0, max: 10, item: { min: 1, max: 8192 } },
  dryRun: { kind: 'bool' },
  unsupported: { kind: 'any' },
  plaintext: { kind: 'blob', required: true, min: 1, max: 4096 },
  ciphertext: { kind: 'blob', required: true, min: 1, max: 6144 },
  numberOfBytes: { kind: 'int', min: 1, max: 1024 },
  policy: { kind: 'string', min: 1, max: 131072, pattern: /^[\u0009\u000A\u000D\u0020-\u00FF]+$/ },
  aliasName: { kind: 'string', required: true, min: 1, max: 256, pattern: /^[a-zA-Z0-9:/_-]+$/ },
} as const satisfies Record<string, Field>;
