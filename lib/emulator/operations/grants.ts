/**
 * Grants: CreateGrant, ListGrants, ListRetirableGrants, RetireGrant, RevokeGrant. A grant lets its grantee
 * use one key for the grant's operations; authorize.ts passes a key's grants to lib/policy, which decides.
 * Sources: KMS developer guide grants.html, create-grant-overview.html, grant-authorization.html,
 * grant-delete.html, resource-limits.html; API reference API_CreateGrant.html, API_GrantConstraints.html.
 */
import crypto from 'node:crypto';
import type {
  CreateGrantRequest,
  CreateGrantResponse,
  GrantListEntry,
  GrantOperation,
  ListGrantsRequest,
  ListGrantsResponse,
  ListRetirableGrantsRequest,
  RetireGrantRequest,
  RevokeGrantRequest,
} from '@aws-sdk/client-kms';
import type { ContextValue } from '../../policy';
import { AccessDeniedException, InvalidGrantIdException, LimitExceededException, NotFoundException, SerializationException, UnsupportedOperationException, ValidationException } from '../errors';
import { grantOfToken, invalidGrantToken, issueGrantToken } from '../grant-tokens';
import type { GrantRecord, KeyRecord } from '../store';
import { F, type Field } from '../validate';
import { dryRun, operation, requireEnabled, resolveKey, type OperationContext } from './context';
import { pageByOffset } from './paging';

/** Grants per KMS key (resource-limits.html: "Grants per KMS key: 50,000"). */
export const MAX_GRANTS_PER_KEY = 50_000;

/** The GrantOperation enum of the API model. */
export const GRANT_OPERATIONS = [
  'Decrypt', 'Encrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'ReEncryptFrom', 'ReEncryptTo', 'Sign', 'Verify',
  'GetPublicKey', 'CreateGrant', 'RetireGrant', 'DescribeKey', 'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext',
  'GenerateMac', 'VerifyMac', 'DeriveSharedSecret',
] as const satisfies readonly GrantOperation[];

const EVERY_KEY = ['DescribeKey', 'CreateGrant', 'RetireGrant'];
const ENCRYPTION = ['Encrypt', 'Decrypt', 'ReEncryptFrom', 'ReEncryptTo'];
const DATA_KEYS = ['GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext'];

/**
 * The grant operations a key supports (grants.html, "Grant operations"): a symmetric key no Sign or MAC, an
 * asymmetric key nothing that generates data keys, an HMAC key only its MAC operations.
 */
export function grantOperationsFor(key: Pick<KeyRecord, 'keySpec' | 'keyUsage'>): readonly string[] {
  if (key.keySpec === 'SYMMETRIC_DEFAULT') return [...EVERY_KEY, ...ENCRYPTION, ...DATA_KEYS];
  switch (key.keyUsage) {
    case 'ENCRYPT_DECRYPT':
      return [...EVERY_KEY, ...ENCRYPTION, 'GetPublicKey'];
    case 'SIGN_VERIFY':
      return [...EVERY_KEY, 'Sign', 'Verify', 'GetPublicKey'];
    case 'KEY_AGREEMENT':
      return [...EVERY_KEY, 'DeriveSharedSecret', 'GetPublicKey'];
    case 'GENERATE_VERIFY_MAC':
      return [...EVERY_KEY, 'GenerateMac', 'VerifyMac'];
    default:
      return EVERY_KEY;
  }
}

type Constraints = NonNullable<GrantRecord['constraints']>;
type ConstraintMember = keyof Constraints;
const CONSTRAINT_MEMBERS: ConstraintMember[] = ['EncryptionContextEquals', 'EncryptionContextSubset'];
/** create-grant-overview.html: "Each grant constraint value can include up to 8 encryption context pairs … cannot exceed 384 characters." */
const MAX_CONSTRAINT_PAIRS = 8;
const MAX_CONSTRAINT_VALUE = 384;

const principalField = { kind: 'string', min: 1, max: 256, pattern: /^[\w+=,.@:/-]+$/ } as const satisfies Field;
const servicePrincipalField = { kind: 'string', min: 1, max: 256 } as const satisfies Field;
const grantIdField = { kind: 'string', min: 1, max: 128 } as const satisfies Field;
/** An account, or an IAM user, role, assumed-role session or federated user (grants.html, "Grantee principal"). */
const AWS_PRINCIPAL = /^(?:\d{12}|arn:aws[a-z-]*:iam::\d{12}:(?:root|user\/.+|role\/.+)|arn:aws[a-z-]*:sts::\d{12}:(?:assumed-role\/[^/]+\/.+|federated-user\/.+))$/;
const GRANT_ID = /^[0-9a-f]{64}$/;
/** ListGrants and ListRetirableGrants: "between 1 and 100 … defaults to 50" (the API model allows up to 1000). */
const LIST_DEFAULT = 50;
const LIST_MAX = 100;

/** kms:GrantIsForAWSResource: true only when an integrated AWS service makes the grant call on the caller's behalf (conditions-kms.html). */
const forAwsResource = (ctx: OperationContext) => ctx.caller.viaService !== undefined;

const validationError = (member: string, value: string, constraint: string) =>
  new ValidationException(`1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: ${constraint}`);

function checkPrincipal(member: string, value: string): void {
  if (!AWS_PRINCIPAL.test(value)) {
    throw validationError(member, value, 'Member must be an AWS account ID or the ARN of an IAM user, IAM role, assumed-role session or federated user');
  }
}

function checkOperations(operations: string[]): string[] {
  const unknown = operations.filter((o) => !(GRANT_OPERATIONS as readonly string[]).includes(o));
  if (unknown.length > 0) {
    throw validationError('operations', `[${operations.join(', ')}]`, `Member must satisfy constraint: [Member must satisfy enum value set: [${GRANT_OPERATIONS.join(', ')}]]`);
  }
  const unique = [...new Set(operations)];
  if (unique.length === 0) throw validationError('operations', '[]', 'Member must have length greater than or equal to 1');
  // The error AWS gives for a grant of CreateGrant alone.
  if (unique.length === 1 && unique[0] === 'CreateGrant') throw new ValidationException('Grants must not contain only the CreateGrant operation.');
  return unique;
}

/** Reads the Constraints structure; empty maps count as absent. SourceArn constraints are not emulated. */
function readConstraints(raw: unknown): Constraints | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new SerializationException("Expected a structure for 'Constraints'");
  const input = raw as Record<string, unknown>;
  if (input.SourceArn !== undefined && input.SourceArn !== null) {
    throw new UnsupportedOperationException('The SourceArn grant constraint is not supported by this emulator; use EncryptionContextEquals or EncryptionContextSubset.');
  }
  const out: Constraints = {};
  for (const member of CONSTRAINT_MEMBERS) {
    const map = input[member];
    if (map === undefined || map === null) continue;
    if (typeof map !== 'object' || Array.isArray(map) || Object.values(map).some((v) => typeof v !== 'string')) {
      throw new SerializationException(`Expected a map of strings for 'Constraints.${member}'`);
    }
    const pairs = Object.entries(map as Record<string, string>);
    if (pairs.length === 0) continue;
    const at = `constraints.${member.charAt(0).toLowerCase()}${member.slice(1)}`;
    if (pairs.length > MAX_CONSTRAINT_PAIRS) throw validationError(at, `${pairs.length} pairs`, `Member must have at most ${MAX_CONSTRAINT_PAIRS} encryption context pairs`);
    const long = pairs.find(([, v]) => v.length > MAX_CONSTRAINT_VALUE);
    if (long) throw validationError(`${at}.${long[0]}`, long[1], `Member must have length less than or equal to ${MAX_CONSTRAINT_VALUE}`);
    out[member] = Object.fromEntries(pairs);
  }
  return out.EncryptionContextEquals || out.EncryptionContextSubset ? out : undefined;
}

// In grant constraints, keys are case-insensitive and values case-sensitive (API_GrantConstraints.html).
const lowerKeys = (pairs: Record<string, string>) => new Map(Object.entries(pairs).map(([k, v]) => [k.toLowerCase(), v]));
const includesAll = (context: Record<string, string>, required: Record<string, string>) => {
  const have = lowerKeys(context);
  return Object.entries(required).every(([k, v]) => have.get(k.toLowerCase()) === v);
};

/** Whether a grant with these constraints allows a request with this encryption context (as lib/policy decides). */
function constraintsAllow(constraints: Constraints | undefined, context: Record<string, string>): boolean {
  const { EncryptionContextEquals: equals, EncryptionContextSubset: subset } = constraints ?? {};
  if (equals && !(includesAll(context, equals) && lowerKeys(context).size === lowerKeys(equals).size)) return false;
  return !subset || includesAll(context, subset);
}

/**
 * A child grant's constraints must be "at least as strict" as its parent's (create-grant-overview.html,
 * "Granting CreateGrant permission"): every context the child allows, the parent allows too.
 */
function atLeastAsStrict(child: Constraints | undefined, parent: Constraints | undefined): boolean {
  if (!parent) return true;
  if (child?.EncryptionContextEquals) return constraintsAllow(parent, child.EncryptionContextEquals);
  // Without Equals a child allows unboundedly many contexts, which a parent's Equals never does.
  if (parent.EncryptionContextEquals) return false;
  return child?.EncryptionContextSubset !== undefined && includesAll(child.EncryptionContextSubset, parent.EncryptionContextSubset!);
}

/**
 * The grants that can authorize this CreateGrant: a grantee who has CreateGrant from a grant may only
 * pass on some of that grant's operations under constraints at least as strict (a policy has no such limit).
 */
function parentGrants(key: KeyRecord, operations: string[], constraints: Constraints | undefined): GrantRecord[] {
  return (key.grants ?? []).filter(
    (g) => g.operations.includes('CreateGrant') && operations.every((o) => g.operations.includes(o)) && atLeastAsStrict(constraints, g.constraints),
  );
}

const canonical = (c: Constraints | undefined) =>
  JSON.stringify(CONSTRAINT_MEMBERS.map((m) => (c?.[m] ? Object.entries(c[m]).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) : null)));

/** "A CreateGrant request for a grant with the same properties as an existing grant, including the name" is a retry. */
function sameGrant(g: GrantRecord, wanted: Omit<GrantRecord, 'grantId' | 'grantToken' | 'createdAt'>): boolean {
  return (
    g.name === wanted.name &&
    g.granteePrincipal === wanted.granteePrincipal &&
    g.retiringPrincipal === wanted.retiringPrincipal &&
    g.issuingAccount === wanted.issuingAccount &&
    [...g.operations].sort().join() === [...wanted.operations].sort().join() &&
    canonical(g.constraints) === canonical(wanted.constraints)
  );
}

function listEntry(key: KeyRecord, g: GrantRecord): GrantListEntry {
  return {
    KeyId: key.arn,
    GrantId: g.grantId,
    // AWS lists an unnamed grant with "Name": "" (create-grant-overview.html, ListGrants output).
    Name: g.name ?? '',
    CreationDate: new Date(g.createdAt),
    GranteePrincipal: g.granteePrincipal,
    RetiringPrincipal: g.retiringPrincipal,
    IssuingAccount: `arn:aws:iam::${g.issuingAccount}:root`,
    Operations: g.operations as GrantOperation[],
    Constraints: g.constraints,
  };
}

function findGrant(key: KeyRecord, grantId: string): GrantRecord {
  if (!GRANT_ID.test(grantId)) throw new InvalidGrantIdException(`Grant ID ${grantId} is not valid: a grant ID is 64 hexadecimal characters.`);
  const grant = key.grants?.find((g) => g.grantId === grantId);
  if (!grant) throw new NotFoundException(`Grant ID ${grantId} not found for key ${key.arn}.`);
  return grant;
}

function removeGrant(ctx: OperationContext, key: KeyRecord, grantId: string): void {
  const grants = (key.grants ?? []).filter((g) => g.grantId !== grantId);
  ctx.store.putKey({ ...key, grants: grants.length > 0 ? grants : undefined });
}

function rejectServicePrincipal(member: string, value: string | undefined): void {
  if (value !== undefined) throw new UnsupportedOperationException(`${member} is not supported by this emulator: it has no AWS service callers. Use an IAM principal.`);
}

export const CreateGrant = operation<CreateGrantRequest, CreateGrantResponse>(
  {
    KeyId: F.keyId,
    GranteePrincipal: principalField,
    RetiringPrincipal: principalField,
    Operations: { kind: 'stringList', required: true },
    Constraints: { kind: 'any' },
    GrantTokens: F.grantTokens,
    Name: { kind: 'string', min: 1, max: 256, pattern: /^[a-zA-Z0-9:/_-]+$/ },
    DryRun: F.dryRun,
    GranteeServicePrincipal: servicePrincipalField,
    RetiringServicePrincipal: servicePrincipalField,
  },
  (ctx, input) => {
    rejectServicePrincipal('GranteeServicePrincipal', input.GranteeServicePrincipal);
    rejectServicePrincipal('RetiringServicePrincipal', input.RetiringServicePrincipal);
    const grantee = input.GranteePrincipal;
    if (grantee === undefined) throw new ValidationException("1 validation error detected: Value null at 'granteePrincipal' failed to satisfy constraint: Member must not be null");
    checkPrincipal('granteePrincipal', grantee);
    if (input.RetiringPrincipal !== undefined) checkPrincipal('retiringPrincipal', input.RetiringPrincipal);
    const operations = checkOperations(input.Operations!);
    const constraints = readConstraints(input.Constraints);

    const key = resolveKey(ctx, input.KeyId!, { aliases: false, authorize: false });
    // Condition keys of CreateGrant (grant-authorization.html); kms:EncryptionContext:* test the constraint's context.
    const conditions: Record<string, ContextValue> = { 'kms:GranteePrincipal': grantee, 'kms:GrantOperations': operations, 'kms:GrantIsForAWSResource': forAwsResource(ctx) };
    if (input.RetiringPrincipal !== undefined) conditions['kms:RetiringPrincipal'] = input.RetiringPrincipal;
    const types = CONSTRAINT_MEMBERS.filter((m) => constraints?.[m]);
    if (types.length > 0) conditions['kms:GrantConstraintType'] = types.length === 1 ? types[0] : types;
    Object.assign(ctx.conditionKeys, conditions);
    const constraintContext = constraints && { ...constraints.EncryptionContextSubset, ...constraints.EncryptionContextEquals };
    ctx.authorize({ ...key, grants: parentGrants(key, operations, constraints) }, 'kms:CreateGrant', constraintContext);
    requireEnabled(key);

    const supported = grantOperationsFor(key);
    const unsupported = operations.filter((o) => !supported.includes(o));
    if (unsupported.length > 0) {
      throw new ValidationException(
        `${key.arn} (key spec ${key.keySpec}, key usage ${key.keyUsage}) does not support the grant operations [${unsupported.join(', ')}]; its grants may allow only [${supported.join(', ')}].`,
      );
    }
    if (constraints && key.keySpec !== 'SYMMETRIC_DEFAULT') {
      throw new ValidationException(`Encryption context grant constraints are not supported for ${key.arn}: only symmetric encryption KMS keys take an encryption context.`);
    }

    const wanted = { name: input.Name, granteePrincipal: grantee, retiringPrincipal: input.RetiringPrincipal, operations, constraints, issuingAccount: ctx.account };
    const existing = input.Name === undefined ? undefined : key.grants?.find((g) => sameGrant(g, wanted));
    dryRun(input);
    // A retry returns the existing grant with a fresh token; all tokens of a grant are interchangeable.
    if (existing) return { GrantId: existing.grantId, GrantToken: issueGrantToken(key, existing.grantId) };
    const grants = key.grants ?? [];
    if (grants.length >= MAX_GRANTS_PER_KEY) {
      throw new LimitExceededException(`${key.arn} already has ${grants.length} grants, the quota of grants per KMS key (${MAX_GRANTS_PER_KEY}).`);
    }
    const grantId = crypto.randomBytes(32).toString('hex');
    const grantToken = issueGrantToken(key, grantId);
    const grant: GrantRecord = { grantId, grantToken, ...wanted, createdAt: ctx.now };
    ctx.store.putKey({ ...key, grants: [...grants, grant] });
    return { GrantId: grantId, GrantToken: grantToken };
  },
);

export const ListGrants = operation<ListGrantsRequest, ListGrantsResponse>(
  { Limit: F.limit, Marker: F.marker, KeyId: F.keyId, GrantId: grantIdField, GranteePrincipal: principalField, GranteeServicePrincipal: servicePrincipalField },
  (ctx, input) => {
    ctx.conditionKeys['kms:GrantIsForAWSResource'] = forAwsResource(ctx);
    const key = resolveKey(ctx, input.KeyId!, { aliases: false });
    if (input.GrantId !== undefined && !GRANT_ID.test(input.GrantId)) {
      throw new InvalidGrantIdException(`Grant ID ${input.GrantId} is not valid: a grant ID is 64 hexadecimal characters.`);
    }
    // Grants to service principals are not emulated, so a filter by one matches nothing.
    const grants =
      input.GranteeServicePrincipal !== undefined
        ? []
        : (key.grants ?? []).filter(
            (g) => (input.GrantId === undefined || g.grantId === input.GrantId) && (input.GranteePrincipal === undefined || g.granteePrincipal === input.GranteePrincipal),
          );
    const { items, truncated, nextMarker } = pageByOffset(grants, Math.min(input.Limit ?? LIST_DEFAULT, LIST_MAX), input.Marker);
    return { Grants: items.map((g) => listEntry(key, g)), Truncated: truncated, NextMarker: nextMarker };
  },
);

/** The account a principal belongs to, if it names one. */
const accountOf = (principal: string) => (/^\d{12}$/.test(principal) ? principal : /^arn:[^:]*:[^:]*:[^:]*:(\d{12}):/.exec(principal)?.[1]);

export const ListRetirableGrants = operation<ListRetirableGrantsRequest, ListGrantsResponse>(
  { Limit: F.limit, Marker: F.marker, RetiringPrincipal: principalField, RetiringServicePrincipal: servicePrincipalField },
  (ctx, input) => {
    // kms:ListRetirableGrants is an IAM permission in the caller's account (API_ListRetirableGrants.html).
    ctx.authorizeAccount();
    const principal = input.RetiringPrincipal ?? input.RetiringServicePrincipal;
    if (principal === undefined) throw new ValidationException('Specify RetiringPrincipal or RetiringServicePrincipal.');
    const account = accountOf(principal);
    if (account !== undefined && account !== ctx.account) {
      throw new AccessDeniedException(
        `User: ${ctx.caller.arn} is not authorized to perform: kms:ListRetirableGrants on resource: ${principal}: the retiring principal must be in your account ${ctx.account}`,
      );
    }
    // The grants of every key in the region, in any account, whose retiring principal is exactly this one.
    const found: { key: KeyRecord; grant: GrantRecord }[] = [];
    if (input.RetiringPrincipal !== undefined) {
      for (const key of ctx.store.allKeys(ctx.region).values()) {
        for (const grant of key.grants ?? []) if (grant.retiringPrincipal === principal) found.push({ key, grant });
      }
    }
    const { items, truncated, nextMarker } = pageByOffset(found, Math.min(input.Limit ?? LIST_DEFAULT, LIST_MAX), input.Marker);
    return { Grants: items.map(({ key, grant }) => listEntry(key, grant)), Truncated: truncated, NextMarker: nextMarker };
  },
);

export const RetireGrant = operation<RetireGrantRequest, Record<string, never>>(
  { GrantToken: { kind: 'string', min: 1, max: 8192 }, KeyId: F.optionalKeyId, GrantId: grantIdField, DryRun: F.dryRun },
  (ctx, input) => {
    let key: KeyRecord;
    let grant: GrantRecord;
    if (input.GrantToken !== undefined) {
      const named = grantOfToken(ctx.store, input.GrantToken);
      if (!named || named.key.region !== ctx.region) throw invalidGrantToken();
      ({ key, grant } = named);
      ctx.subject = key.keyId;
    } else {
      if (input.KeyId === undefined || input.GrantId === undefined) {
        throw new ValidationException('Identify the grant to retire by its GrantToken, or by both KeyId and GrantId.');
      }
      key = resolveKey(ctx, input.KeyId, { aliases: false, authorize: false });
      grant = findGrant(key, input.GrantId);
    }
    // Decided by this grant (its retiring principal, or its grantee if it allows RetireGrant) and the key account's IAM policies.
    ctx.authorize({ ...key, grants: [grant] }, 'kms:RetireGrant');
    dryRun(input);
    removeGrant(ctx, key, grant.grantId);
    return {};
  },
);

export const RevokeGrant = operation<RevokeGrantRequest, Record<string, never>>(
  { KeyId: F.keyId, GrantId: { ...grantIdField, required: true }, DryRun: F.dryRun },
  (ctx, input) => {
    ctx.conditionKeys['kms:GrantIsForAWSResource'] = forAwsResource(ctx);
    const key = resolveKey(ctx, input.KeyId!, { aliases: false });
    const grant = findGrant(key, input.GrantId!);
    dryRun(input);
    removeGrant(ctx, key, grant.grantId);
    return {};
  },
);
