/**
 * The create-key wizard's rules and its one write: which key usages and algorithms each key spec allows,
 * the validation of alias, description, tags and principals, the CreateKey input built from a draft, and
 * `createKeyWithAlias`, which creates the key and then its alias through a KMSClient.
 */
import { CreateAliasCommand, CreateKeyCommand, ListAliasesCommand, type CreateKeyCommandInput, type KMSClient } from '@aws-sdk/client-kms';
import { buildConsolePolicy, supportsGrantsForAwsResources, type ConsoleKeyUsage, type PolicyDocumentJson } from '@/lib/policy/default-view';
import { parsePolicy } from '@/lib/policy/parse';

export type WizardKeyType = 'symmetric' | 'asymmetric' | 'hmac';

/**
 * Every spec the console offers (all of AWS's outside the China Regions' SM2), with the usages each allows:
 * CreateKey's KeyUsage documentation in the KMS API model (botocore kms/2014-11-01), and the key spec
 * reference (https://docs.aws.amazon.com/kms/latest/developerguide/symm-asymm-choose-key-spec.html).
 */
export const SPEC_USAGES = {
  SYMMETRIC_DEFAULT: ['ENCRYPT_DECRYPT'],
  RSA_2048: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'],
  RSA_3072: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'],
  RSA_4096: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'],
  ECC_NIST_P256: ['SIGN_VERIFY', 'KEY_AGREEMENT'],
  ECC_NIST_P384: ['SIGN_VERIFY', 'KEY_AGREEMENT'],
  ECC_NIST_P521: ['SIGN_VERIFY', 'KEY_AGREEMENT'],
  ECC_SECG_P256K1: ['SIGN_VERIFY'],
  ECC_NIST_EDWARDS25519: ['SIGN_VERIFY'],
  ML_DSA_44: ['SIGN_VERIFY'],
  ML_DSA_65: ['SIGN_VERIFY'],
  ML_DSA_87: ['SIGN_VERIFY'],
  HMAC_224: ['GENERATE_VERIFY_MAC'],
  HMAC_256: ['GENERATE_VERIFY_MAC'],
  HMAC_384: ['GENERATE_VERIFY_MAC'],
  HMAC_512: ['GENERATE_VERIFY_MAC'],
} as const satisfies Record<string, readonly ConsoleKeyUsage[]>;

export type WizardKeySpec = keyof typeof SPEC_USAGES;
export const WIZARD_KEY_SPECS = Object.keys(SPEC_USAGES) as WizardKeySpec[];

export function keyTypeOfSpec(spec: WizardKeySpec): WizardKeyType {
  if (spec === 'SYMMETRIC_DEFAULT') return 'symmetric';
  return spec.startsWith('HMAC_') ? 'hmac' : 'asymmetric';
}

export const specsOfType = (type: WizardKeyType): WizardKeySpec[] => WIZARD_KEY_SPECS.filter((spec) => keyTypeOfSpec(spec) === type);

export function usagesOfSpec(spec: WizardKeySpec): readonly ConsoleKeyUsage[] {
  return SPEC_USAGES[spec];
}

/** The usages some spec of `type` allows, in the order the console lists them. */
export function usagesOfType(type: WizardKeyType): ConsoleKeyUsage[] {
  const all = new Set<ConsoleKeyUsage>(specsOfType(type).flatMap((spec) => usagesOfSpec(spec)));
  return (['ENCRYPT_DECRYPT', 'SIGN_VERIFY', 'KEY_AGREEMENT', 'GENERATE_VERIFY_MAC'] as const).filter((usage) => all.has(usage));
}

/** The specs of `type` that allow `usage`. */
export const specsFor = (type: WizardKeyType, usage: ConsoleKeyUsage): WizardKeySpec[] => specsOfType(type).filter((spec) => usagesOfSpec(spec).includes(usage));

/** The algorithms a key of this spec and usage will offer (what DescribeKey reports after creation). */
export function algorithmsOf(spec: WizardKeySpec, usage: ConsoleKeyUsage): string[] {
  if (spec === 'SYMMETRIC_DEFAULT') return ['SYMMETRIC_DEFAULT'];
  if (spec.startsWith('HMAC_')) return [`HMAC_SHA_${spec.slice(5)}`];
  if (spec.startsWith('RSA_')) {
    return usage === 'ENCRYPT_DECRYPT'
      ? ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256']
      : ['RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_384', 'RSASSA_PKCS1_V1_5_SHA_512', 'RSASSA_PSS_SHA_256', 'RSASSA_PSS_SHA_384', 'RSASSA_PSS_SHA_512'];
  }
  if (spec === 'ECC_NIST_EDWARDS25519') return ['ED25519_SHA_512', 'ED25519_PH_SHA_512'];
  if (spec.startsWith('ML_DSA_')) return ['ML_DSA_SHAKE_256'];
  if (usage === 'KEY_AGREEMENT') return ['ECDH'];
  return [{ ECC_NIST_P256: 'ECDSA_SHA_256', ECC_NIST_P384: 'ECDSA_SHA_384', ECC_NIST_P521: 'ECDSA_SHA_512', ECC_SECG_P256K1: 'ECDSA_SHA_256' }[spec as string] ?? ''];
}

/** A short human description of a spec, shown beside it. */
export const SPEC_DESCRIPTIONS: Record<WizardKeySpec, string> = {
  SYMMETRIC_DEFAULT: '256-bit AES-GCM; what AWS services use',
  RSA_2048: 'RSA, 2048-bit modulus',
  RSA_3072: 'RSA, 3072-bit modulus',
  RSA_4096: 'RSA, 4096-bit modulus',
  ECC_NIST_P256: 'NIST P-256 (secp256r1)',
  ECC_NIST_P384: 'NIST P-384 (secp384r1)',
  ECC_NIST_P521: 'NIST P-521 (secp521r1)',
  ECC_SECG_P256K1: 'secp256k1, common for cryptocurrencies',
  ECC_NIST_EDWARDS25519: 'Ed25519 (EdDSA)',
  ML_DSA_44: 'ML-DSA (FIPS 204), category 2',
  ML_DSA_65: 'ML-DSA (FIPS 204), category 3',
  ML_DSA_87: 'ML-DSA (FIPS 204), category 5',
  HMAC_224: 'HMAC with SHA-224',
  HMAC_256: 'HMAC with SHA-256',
  HMAC_384: 'HMAC with SHA-384',
  HMAC_512: 'HMAC with SHA-512',
};

export type WizardOrigin = 'AWS_KMS' | 'EXTERNAL';

/** Imported key material (Origin EXTERNAL) exists for every spec but ML-DSA, whose material KMS cannot import. */
export const supportsExternalOrigin = (spec: WizardKeySpec): boolean => !spec.startsWith('ML_DSA_');

// ——— Labels ———

export const ALIAS_PREFIX = 'alias/';
const ALIAS_NAME = /^[a-zA-Z0-9/_-]+$/;
export const MAX_ALIAS_NAME = 250;
export const MAX_DESCRIPTION = 8_192;
export const MAX_TAGS = 50;
export const MAX_TAG_KEY = 128;
export const MAX_TAG_VALUE = 256;

/** The full alias for what the user typed: `alias/` is added unless they typed it. */
export function fullAlias(typed: string): string {
  const trimmed = typed.trim();
  return trimmed.startsWith(ALIAS_PREFIX) ? trimmed : `${ALIAS_PREFIX}${trimmed}`;
}

/**
 * AWS's alias rules (CreateAlias API reference): `alias/` then 1–250 letters, digits, slashes, underscores
 * or hyphens, never `alias/aws/` (reserved for AWS managed keys). Null when valid.
 */
export function aliasProblem(alias: string): string | null {
  if (!alias.startsWith(ALIAS_PREFIX)) return 'An alias begins with alias/.';
  const name = alias.slice(ALIAS_PREFIX.length);
  if (name.length === 0) return 'Enter an alias name.';
  if (name.length > MAX_ALIAS_NAME) return `An alias name is at most ${MAX_ALIAS_NAME} characters after alias/ (this one has ${name.length}).`;
  if (!ALIAS_NAME.test(name)) return 'Use only letters, digits, slashes (/), underscores (_) and hyphens (-).';
  if (alias.startsWith('alias/aws/')) return 'Aliases beginning with alias/aws/ are reserved for AWS managed keys.';
  return null;
}

export function descriptionProblem(description: string): string | null {
  return description.length > MAX_DESCRIPTION ? `A description is at most ${MAX_DESCRIPTION.toLocaleString('en-US')} characters (this one has ${description.length.toLocaleString('en-US')}).` : null;
}

export interface TagDraft {
  key: string;
  value: string;
}

export interface TagProblems {
  /** Problems of each row, by index; a row without problems has no entry. */
  rows: Record<number, { key?: string; value?: string }>;
  /** A problem of the list as a whole (too many tags). */
  list?: string;
}

/** AWS's tag rules for KMS keys (TagResource, "Tagging keys"): key 1–128, value ≤ 256, ≤ 50 tags, no `aws:` keys, unique keys. */
export function tagProblems(tags: readonly TagDraft[]): TagProblems {
  const rows: TagProblems['rows'] = {};
  const seen = new Map<string, number>();
  tags.forEach((tag, index) => {
    const problem: { key?: string; value?: string } = {};
    if (tag.key.length === 0) problem.key = 'Enter a tag key.';
    else if (tag.key.length > MAX_TAG_KEY) problem.key = `A tag key is at most ${MAX_TAG_KEY} characters.`;
    else if (tag.key.toLowerCase().startsWith('aws:')) problem.key = 'Tag keys beginning with aws: are reserved for AWS.';
    else if (seen.has(tag.key)) problem.key = `Tag key ${tag.key} is already used above; keys must be unique.`;
    if (tag.value.length > MAX_TAG_VALUE) problem.value = `A tag value is at most ${MAX_TAG_VALUE} characters.`;
    if (!seen.has(tag.key)) seen.set(tag.key, index);
    if (problem.key || problem.value) rows[index] = problem;
  });
  return { rows, list: tags.length > MAX_TAGS ? `A key can have at most ${MAX_TAGS} tags (here: ${tags.length}).` : undefined };
}

// ——— Principals ———

const ACCOUNT_ID = /^\d{12}$/;
const PRINCIPAL_ARN = /^arn:(aws|aws-cn|aws-us-gov):(iam|sts)::(\d{12}):(.+)$/;
const IAM_NAME = /^[\w+=,.@-]+$/;

export type PrincipalArnResult = { ok: true; arn: string } | { ok: false; message: string };

/**
 * A principal typed by hand: a 12-digit account id (its root), or the ARN of an account root, IAM user,
 * IAM role or assumed-role session. Returns the ARN a key policy takes.
 */
export function parsePrincipal(typed: string): PrincipalArnResult {
  const value = typed.trim();
  if (value.length === 0) return { ok: false, message: 'Enter an account id or an ARN.' };
  if (ACCOUNT_ID.test(value)) return { ok: true, arn: `arn:aws:iam::${value}:root` };
  if (/^\d+$/.test(value)) return { ok: false, message: 'An AWS account id has exactly 12 digits.' };
  const match = PRINCIPAL_ARN.exec(value);
  if (!match) return { ok: false, message: 'Enter a 12-digit account id, or an ARN such as arn:aws:iam::111122223333:role/app.' };
  const [, , service, , resource] = match;
  if (service === 'iam') {
    if (resource === 'root') return { ok: true, arn: value };
    const slash = resource.indexOf('/');
    const kind = slash < 0 ? resource : resource.slice(0, slash);
    if (kind !== 'user' && kind !== 'role') return { ok: false, message: 'A key policy principal is an account (root), an IAM user or an IAM role.' };
    const rest = resource.slice(slash + 1);
    const name = rest.split('/').pop() ?? '';
    if (slash < 0 || !IAM_NAME.test(name) || name.length > 64 || !/^[\x21-\x7e]+$/.test(rest)) {
      return { ok: false, message: `That ARN has no valid ${kind} name after ${kind}/.` };
    }
    return { ok: true, arn: value };
  }
  const session = /^assumed-role\/([^/]+)\/(.+)$/.exec(resource);
  if (!session || !IAM_NAME.test(session[1])) return { ok: false, message: 'An STS principal is an assumed-role session: arn:aws:sts::111122223333:assumed-role/role-name/session-name.' };
  return { ok: true, arn: value };
}

// ——— The draft and the CreateKey input ———

export interface KeyDraft {
  keyType: WizardKeyType;
  keyUsage: ConsoleKeyUsage;
  keySpec: WizardKeySpec;
  origin: WizardOrigin;
  multiRegion: boolean;
  /** As typed: with or without the `alias/` prefix. */
  alias: string;
  description: string;
  tags: TagDraft[];
  administrators: string[];
  users: string[];
  allowGrantsForAwsResources: boolean;
}

export const INITIAL_DRAFT: KeyDraft = {
  keyType: 'symmetric',
  keyUsage: 'ENCRYPT_DECRYPT',
  keySpec: 'SYMMETRIC_DEFAULT',
  origin: 'AWS_KMS',
  multiRegion: false,
  alias: '',
  description: '',
  tags: [],
  administrators: [],
  users: [],
  allowGrantsForAwsResources: true,
};

/** Keeps a draft's usage, spec and origin consistent after the type, usage or spec changed. */
export function reconcileConfiguration(draft: KeyDraft): KeyDraft {
  const usages = usagesOfType(draft.keyType);
  const keyUsage = usages.includes(draft.keyUsage) ? draft.keyUsage : usages[0];
  const specs = specsFor(draft.keyType, keyUsage);
  const keySpec = specs.includes(draft.keySpec) ? draft.keySpec : specs[0];
  const origin = draft.origin === 'EXTERNAL' && !supportsExternalOrigin(keySpec) ? 'AWS_KMS' : draft.origin;
  return { ...draft, keyUsage, keySpec, origin };
}

export type ConfigurationProblems = Partial<Record<'keyUsage' | 'keySpec' | 'origin', string>>;

export function configurationProblems(draft: KeyDraft): ConfigurationProblems {
  const problems: ConfigurationProblems = {};
  if (!(draft.keySpec in SPEC_USAGES) || keyTypeOfSpec(draft.keySpec) !== draft.keyType) problems.keySpec = `Choose a ${draft.keyType} key spec.`;
  else if (!usagesOfSpec(draft.keySpec).includes(draft.keyUsage)) problems.keyUsage = `${draft.keySpec} keys cannot be used for ${draft.keyUsage}.`;
  if (draft.origin === 'EXTERNAL' && draft.keySpec in SPEC_USAGES && !supportsExternalOrigin(draft.keySpec)) problems.origin = 'KMS cannot import ML-DSA key material; choose KMS as the origin.';
  return problems;
}

export interface LabelProblems {
  alias?: string;
  description?: string;
  tags: TagProblems;
}

export function labelProblems(draft: KeyDraft): LabelProblems {
  return {
    alias: aliasProblem(fullAlias(draft.alias)) ?? undefined,
    description: descriptionProblem(draft.description) ?? undefined,
    tags: tagProblems(draft.tags),
  };
}

export const hasLabelProblems = (p: LabelProblems) => Boolean(p.alias || p.description || p.tags.list || Object.keys(p.tags.rows).length > 0);

export function principalListProblem(arns: readonly string[]): string | null {
  for (const arn of arns) {
    const parsed = parsePrincipal(arn);
    if (!parsed.ok) return `${arn}: ${parsed.message}`;
  }
  return null;
}

/** The key policy the AWS console would write for this draft. */
export function draftPolicy(draft: KeyDraft, account: string): PolicyDocumentJson {
  return buildConsolePolicy({
    account,
    administrators: draft.administrators,
    users: draft.users,
    allowGrantsForAwsResources: draft.allowGrantsForAwsResources && supportsGrantsForAwsResources(draft.keyUsage, draft.keySpec),
    keyUsage: draft.keyUsage,
    keySpec: draft.keySpec,
  });
}

export type BuildResult = { ok: true; input: CreateKeyCommandInput; alias: string; policy: string } | { ok: false; problems: string[] };

/** Everything the wizard checks, once more, and the CreateKey request it sends. */
export function buildCreateKeyInput(draft: KeyDraft, account: string): BuildResult {
  const problems: string[] = [];
  if (!ACCOUNT_ID.test(account)) problems.push(`The account id ${account} is not 12 digits.`);
  problems.push(...Object.values(configurationProblems(draft)));
  const labels = labelProblems(draft);
  if (labels.alias) problems.push(`Alias: ${labels.alias}`);
  if (labels.description) problems.push(`Description: ${labels.description}`);
  if (labels.tags.list) problems.push(`Tags: ${labels.tags.list}`);
  for (const [index, row] of Object.entries(labels.tags.rows)) problems.push(`Tag ${Number(index) + 1}: ${[row.key, row.value].filter(Boolean).join(' ')}`);
  const administratorsProblem = principalListProblem(draft.administrators);
  if (administratorsProblem) problems.push(`Key administrators: ${administratorsProblem}`);
  const usersProblem = principalListProblem(draft.users);
  if (usersProblem) problems.push(`Key users: ${usersProblem}`);
  if (problems.length > 0) return { ok: false, problems };

  const policy = JSON.stringify(draftPolicy(draft, account), null, 2);
  const parsed = parsePolicy(policy, { kind: 'key-policy' });
  if (!parsed.ok) return { ok: false, problems: parsed.errors.map((e) => `Key policy, line ${e.line}: ${e.message}`) };

  const input: CreateKeyCommandInput = {
    KeySpec: draft.keySpec,
    KeyUsage: draft.keyUsage,
    Origin: draft.origin,
    Policy: policy,
    ...(draft.description ? { Description: draft.description } : {}),
    ...(draft.tags.length > 0 ? { Tags: draft.tags.map((t) => ({ TagKey: t.key, TagValue: t.value })) } : {}),
    ...(draft.multiRegion ? { MultiRegion: true } : {}),
  };
  return { ok: true, input, alias: fullAlias(draft.alias), policy };
}

// ——— KMS calls ———

export interface KmsFailure {
  name: string;
  message: string;
}

/** The alias names in use in the client's region (ListAliases, every page). */
export async function listAliasNames(kms: KMSClient): Promise<Set<string>> {
  const names = new Set<string>();
  let Marker: string | undefined;
  do {
    const page = await kms.send(new ListAliasesCommand({ Marker, Limit: 100 }));
    for (const alias of page.Aliases ?? []) if (alias.AliasName) names.add(alias.AliasName);
    Marker = page.Truncated ? page.NextMarker : undefined;
  } while (Marker);
  return names;
}

export interface CreatedKey {
  keyId: string;
  arn: string;
  keyState: string;
  /** The alias, when CreateAlias succeeded. */
  alias?: string;
  /** Set when the key exists but CreateAlias failed. */
  aliasError?: KmsFailure;
}

/** Raised before CreateKey when the alias is taken; shaped like the SDK's AlreadyExistsException so actions report it by name. */
export class AliasTakenError extends Error {
  override readonly name = 'AlreadyExistsException';
  readonly $fault = 'client';
  readonly $metadata = {};
  constructor(alias: string) {
    super(`An alias with the name ${alias} already exists`);
  }
}

const failureOf = (error: unknown): KmsFailure => (error instanceof Error ? { name: error.name, message: error.message } : { name: 'Error', message: String(error) });

/**
 * CreateKey, then CreateAlias. An alias already taken is refused before the key is created (a key
 * without the alias the user asked for is worse than no key). If CreateAlias still fails after the key
 * exists, the key is returned with `aliasError` rather than the whole operation reported as failed.
 */
export async function createKeyWithAlias(kms: KMSClient, input: CreateKeyCommandInput, alias: string): Promise<CreatedKey> {
  if ((await listAliasNames(kms)).has(alias)) {
    throw new AliasTakenError(alias);
  }
  const metadata = (await kms.send(new CreateKeyCommand(input))).KeyMetadata;
  if (!metadata?.KeyId || !metadata.Arn) throw new Error('CreateKey answered without KeyMetadata');
  const created: CreatedKey = { keyId: metadata.KeyId, arn: metadata.Arn, keyState: metadata.KeyState ?? 'Unknown' };
  try {
    await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: metadata.KeyId }));
    created.alias = alias;
  } catch (error) {
    created.aliasError = failureOf(error);
  }
  return created;
}
