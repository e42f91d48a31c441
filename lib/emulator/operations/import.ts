/**
 * Imported key material (BYOK, importing-keys.html): GetParametersForImport, ImportKeyMaterial and
 * DeleteImportedKeyMaterial, the expiry of imported material on the injected clock, and the imported
 * half of on-demand rotation (material imported as NEW_KEY_MATERIAL waits in PENDING_ROTATION until
 * RotateKeyOnDemand makes it current).
 */
import crypto from 'node:crypto';
import type {
  DeleteImportedKeyMaterialRequest,
  DeleteImportedKeyMaterialResponse,
  GetParametersForImportRequest,
  GetParametersForImportResponse,
  ImportKeyMaterialRequest,
  ImportKeyMaterialResponse,
  KeyMaterialState,
  RotationsListEntry,
} from '@aws-sdk/client-kms';
import {
  ExpiredImportTokenException,
  IncorrectKeyMaterialException,
  InvalidCiphertextException,
  InvalidImportTokenException,
  KMSInvalidStateException,
  NotFoundException,
  SerializationException,
  UnsupportedOperationException,
  ValidationException,
} from '../errors';
import { SPECS, type SupportedKeySpec } from '../key-specs';
import type { ImportedMaterial, KeyMaterial, KeyRecord, PendingImportParameters } from '../store';
import { F } from '../validate';
import { currentMaterial, DAY, operation, resolveKey, type OperationContext } from './context';

/** "Each public key and import token set is valid for 24 hours" (GetParametersForImport API reference). */
export const IMPORT_PARAMETERS_VALID_MS = DAY;
/** ValidTo: "The maximum value is 365 days from the request date" (ImportKeyMaterial API reference). */
const MAX_VALID_TO_MS = 365 * DAY;

const WRAPPING_ALGORITHMS = ['RSAES_PKCS1_V1_5', 'RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256', 'RSA_AES_KEY_WRAP_SHA_1', 'RSA_AES_KEY_WRAP_SHA_256', 'SM2PKE'] as const;
const WRAPPING_KEY_SPECS = ['RSA_2048', 'RSA_3072', 'RSA_4096', 'SM2'] as const;
const WRAPPING_KEY_BITS: Record<string, number> = { RSA_2048: 2048, RSA_3072: 3072, RSA_4096: 4096 };
const OAEP_HASH: Record<string, string> = {
  RSAES_OAEP_SHA_1: 'sha1',
  RSAES_OAEP_SHA_256: 'sha256',
  RSA_AES_KEY_WRAP_SHA_1: 'sha1',
  RSA_AES_KEY_WRAP_SHA_256: 'sha256',
};
/** RFC 5649's alternative initial value: AES key wrap with padding (node's id-aes256-wrap-pad). */
const KEY_WRAP_PAD_IV = Buffer.from('a65959a6', 'hex');

/** HMAC key material lengths in bytes: at least the hash's output, at most its block size (importing-keys-conceptual.html, requirements). */
const HMAC_BYTES: Partial<Record<SupportedKeySpec, [min: number, max: number]>> = {
  HMAC_224: [28, 64],
  HMAC_256: [32, 64],
  HMAC_384: [48, 128],
  HMAC_512: [64, 128],
};

const backingKeyId = { kind: 'string', min: 64, max: 64, pattern: /^[a-f0-9]+$/ } as const;
const isPendingDeletion = (key: KeyRecord) => key.keyState === 'PendingDeletion' || key.keyState === 'PendingReplicaDeletion';
const isSymmetric = (key: KeyRecord) => key.keySpec === 'SYMMETRIC_DEFAULT';

/** CreateKey with Origin EXTERNAL: the key specs whose material the emulator can take in. */
export function checkImportableSpec(spec: SupportedKeySpec): void {
  if (SPECS[spec].family === 'mldsa') {
    throw new UnsupportedOperationException(`KeySpec ${spec} with Origin EXTERNAL is not supported by this emulator: it cannot import ML-DSA key material.`);
  }
}

/** An Origin EXTERNAL key waits for material until every material it is permanently associated with is imported. */
export function awaitsImport(key: KeyRecord): boolean {
  return key.origin === 'EXTERNAL' && (key.materials.length === 0 || key.materials.some((m) => m.imported?.state !== 'IMPORTED'));
}

/**
 * "KMS computes a unique key material identifier based on the key ID and the key material … using a
 * cryptographic hash" (AWS security blog, on-demand rotation for imported keys): so the same bytes
 * reimported get the same id, and old ciphertexts, which name it, decrypt again.
 */
export function importedMaterialId(keyId: string, material: Buffer): string {
  return crypto.createHash('sha256').update('kms-imported-key-material\0').update(keyId).update('\0').update(material).digest('hex');
}

/** A key the import operations may work on: Origin EXTERNAL and not waiting for deletion (key-state.html, notes 8 and 9). */
function importTarget(key: KeyRecord): KeyRecord {
  if (key.origin !== 'EXTERNAL') throw new UnsupportedOperationException(`${key.arn} origin is ${key.origin} which is not valid for this operation.`);
  if (isPendingDeletion(key)) throw new KMSInvalidStateException(`${key.arn} is pending deletion.`);
  return key;
}

function generateWrappingKey(bits: number): Promise<{ publicDer: Buffer; privateDer: Buffer }> {
  return new Promise((resolve, reject) => {
    crypto.generateKeyPair(
      'rsa',
      { modulusLength: bits, publicExponent: 65537, publicKeyEncoding: { type: 'spki', format: 'der' }, privateKeyEncoding: { type: 'pkcs8', format: 'der' } },
      (error, publicDer, privateDer) => (error ? reject(error) : resolve({ publicDer, privateDer })),
    );
  });
}

export const GetParametersForImport = operation<GetParametersForImportRequest, Promise<GetParametersForImportResponse>>(
  {
    KeyId: F.keyId,
    WrappingAlgorithm: { kind: 'enum', required: true, values: WRAPPING_ALGORITHMS },
    WrappingKeySpec: { kind: 'enum', required: true, values: WRAPPING_KEY_SPECS },
  },
  async (ctx, input) => {
    const key = importTarget(resolveKey(ctx, input.KeyId!, { aliases: false }));
    const algorithm = input.WrappingAlgorithm!;
    const spec = input.WrappingKeySpec!;
    if (algorithm === 'RSAES_PKCS1_V1_5') {
      throw new UnsupportedOperationException('As of October 10, 2023, KMS does not support the RSAES_PKCS1_V1_5 wrapping algorithm. Use RSAES_OAEP_SHA_256 or RSA_AES_KEY_WRAP_SHA_256.');
    }
    if (algorithm === 'SM2PKE' || spec === 'SM2') throw new UnsupportedOperationException('The SM2PKE wrapping algorithm and the SM2 wrapping key spec are supported only in the China Regions.');
    // RSA key generation takes a second or more for RSA_4096: off the event loop, so other requests go on meanwhile.
    const { publicDer, privateDer } = await generateWrappingKey(WRAPPING_KEY_BITS[spec]);
    // The key may have changed (or gone) while the wrapping key was made: start again from the stored record.
    const current = ctx.store.key(key.region, key.keyId);
    if (!current || current.account !== key.account) throw new NotFoundException(`Key '${key.arn}' does not exist`);
    importTarget(current);
    const importToken = crypto.randomBytes(64);
    const pending: PendingImportParameters = {
      importToken: importToken.toString('base64'),
      wrappingAlgorithm: algorithm,
      wrappingKeySpec: spec,
      wrappingPrivateKey: privateDer,
      expiresAt: ctx.now + IMPORT_PARAMETERS_VALID_MS,
    };
    // Only the latest parameters are kept: a newer GetParametersForImport replaces an unused token.
    ctx.store.putKey({ ...current, imported: { ...current.imported, pending } });
    return { KeyId: key.arn, ImportToken: importToken, PublicKey: publicDer, ParametersValidTo: new Date(pending.expiresAt) };
  },
);

/** Decrypts EncryptedKeyMaterial with the private wrapping key; anything that does not decrypt is InvalidCiphertextException. */
function unwrap(pending: PendingImportParameters, wrapped: Buffer): Buffer {
  const privateKey = crypto.createPrivateKey({ key: pending.wrappingPrivateKey, format: 'der', type: 'pkcs8' });
  const oaep = (data: Buffer) => crypto.privateDecrypt({ key: privateKey, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: OAEP_HASH[pending.wrappingAlgorithm] }, data);
  const refuse = () =>
    new InvalidCiphertextException(`The EncryptedKeyMaterial could not be decrypted with the ${pending.wrappingKeySpec} wrapping key and the ${pending.wrappingAlgorithm} wrapping algorithm of this import token.`);
  try {
    if (pending.wrappingAlgorithm.startsWith('RSAES_OAEP')) return oaep(wrapped);
    // RSA_AES_KEY_WRAP: RSAES-OAEP of an ephemeral 256-bit AES key, then the material under AES key wrap with padding (RFC 5649).
    const k = WRAPPING_KEY_BITS[pending.wrappingKeySpec] / 8;
    if (wrapped.length <= k) throw refuse();
    const aesKey = oaep(wrapped.subarray(0, k));
    if (aesKey.length !== 32) throw refuse();
    const decipher = crypto.createDecipheriv('id-aes256-wrap-pad', aesKey, KEY_WRAP_PAD_IV);
    return Buffer.concat([decipher.update(wrapped.subarray(k)), decipher.final()]);
  } catch (error) {
    if (error instanceof InvalidCiphertextException) throw error;
    throw refuse();
  }
}

/**
 * Checks unwrapped material against the key spec (importing-keys-conceptual.html, requirements):
 * 256 bits for SYMMETRIC_DEFAULT, a spec-dependent length for HMAC, a DER PKCS #8 private key of the
 * key's type and size for asymmetric keys. Returns it as stored (asymmetric keys re-encoded, so one
 * private key always has one encoding and one key material id).
 */
function checkMaterial(key: KeyRecord, material: Buffer): Buffer {
  const info = SPECS[key.keySpec];
  const incorrect = (why: string) => new IncorrectKeyMaterialException(`The key material does not fit ${key.arn} (KeySpec ${key.keySpec}): ${why}.`);
  switch (info.family) {
    case 'symmetric':
      if (material.length !== 32) throw incorrect(`it must be a 256-bit (32-byte) symmetric key, not ${material.length} bytes`);
      return material;
    case 'hmac': {
      const [min, max] = HMAC_BYTES[key.keySpec]!;
      if (material.length < min || material.length > max) throw incorrect(`HMAC key material must be ${min}–${max} bytes, not ${material.length}`);
      return material;
    }
    case 'mldsa':
      throw new UnsupportedOperationException(`This emulator cannot import ML-DSA key material (${key.arn}).`);
    default: {
      let privateKey: crypto.KeyObject;
      try {
        privateKey = crypto.createPrivateKey({ key: material, format: 'der', type: 'pkcs8' });
      } catch {
        throw incorrect('asymmetric key material must be a DER-encoded PKCS #8 private key');
      }
      const details = privateKey.asymmetricKeyDetails ?? {};
      const fits =
        (info.family === 'rsa' && privateKey.asymmetricKeyType === 'rsa' && details.modulusLength === info.param) ||
        (info.family === 'ecc' && privateKey.asymmetricKeyType === 'ec' && details.namedCurve === info.param) ||
        (info.family === 'ed25519' && privateKey.asymmetricKeyType === 'ed25519');
      if (!fits) {
        const what = privateKey.asymmetricKeyType === 'rsa' ? `an RSA ${details.modulusLength}-bit key` : details.namedCurve ? `an EC key on ${details.namedCurve}` : `a ${privateKey.asymmetricKeyType} key`;
        throw incorrect(`it is ${what}`);
      }
      return privateKey.export({ format: 'der', type: 'pkcs8' });
    }
  }
}

/** ValidTo arrives in JSON 1.1 as epoch seconds. */
function epochMillis(member: string, value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new SerializationException(`NUMBER_VALUE can not be converted to a timestamp for '${member}'`);
  return Math.round(value * 1000);
}

function expirationOf(ctx: OperationContext, input: ImportKeyMaterialRequest): Pick<ImportedMaterial, 'expirationModel' | 'validTo'> {
  // The raw wire value: the validator passes timestamps through untouched (kind 'any').
  const validTo = epochMillis('ValidTo', input.ValidTo as unknown);
  // "The default is KEY_MATERIAL_EXPIRES", which needs ValidTo (ImportKeyMaterial API reference).
  const expirationModel = input.ExpirationModel ?? 'KEY_MATERIAL_EXPIRES';
  if (expirationModel === 'KEY_MATERIAL_DOES_NOT_EXPIRE') {
    if (validTo !== undefined) throw new ValidationException('ValidTo must be omitted when ExpirationModel is KEY_MATERIAL_DOES_NOT_EXPIRE.');
    return { expirationModel };
  }
  if (validTo === undefined) throw new ValidationException('ValidTo is required when ExpirationModel is KEY_MATERIAL_EXPIRES (the default ExpirationModel).');
  if (validTo <= ctx.now) throw new ValidationException(`ValidTo must be a future date and time; ${new Date(validTo).toISOString()} is not.`);
  if (validTo > ctx.now + MAX_VALID_TO_MS) throw new ValidationException(`ValidTo must be at most 365 days from the request date; ${new Date(validTo).toISOString()} is later.`);
  return { expirationModel, validTo };
}

const sameBytes = (a: Buffer, b: Buffer) => a.length === b.length && crypto.timingSafeEqual(a, b);

/** What is left of imported material when it is deleted or expires: its id and place, no bytes. */
const withoutBytes = (m: KeyMaterial): KeyMaterial => ({ ...m, material: Buffer.alloc(0), imported: { ...m.imported!, state: 'PENDING_IMPORT' } });

/**
 * Brings the key's state and its DescribeKey expiry in line with its materials: PendingImport while
 * any permanently associated material is not imported (key-state.html), Enabled again once all are;
 * a key waiting for deletion keeps that state (DeleteImportedKeyMaterial API reference).
 */
function settle(key: KeyRecord): KeyRecord {
  const live = key.materials.filter((m) => m.imported?.state === 'IMPORTED');
  const expiries = live.flatMap((m) => (m.imported!.validTo === undefined ? [] : [m.imported!.validTo]));
  const validTo = expiries.length > 0 ? Math.min(...expiries) : undefined;
  const expirationModel =
    key.materials.length === 0 ? undefined : validTo !== undefined ? 'KEY_MATERIAL_EXPIRES' : live.length > 0 ? 'KEY_MATERIAL_DOES_NOT_EXPIRE' : currentMaterial(key).imported?.expirationModel;
  let keyState = key.keyState;
  if (!isPendingDeletion(key)) {
    if (awaitsImport(key)) keyState = 'PendingImport';
    else if (keyState === 'PendingImport') keyState = 'Enabled';
  }
  return { ...key, keyState, imported: { ...key.imported, expirationModel, validTo } };
}

export const ImportKeyMaterial = operation<ImportKeyMaterialRequest, ImportKeyMaterialResponse>(
  {
    KeyId: F.keyId,
    ImportToken: { kind: 'blob', required: true, min: 1, max: 6144 },
    EncryptedKeyMaterial: { kind: 'blob', required: true, min: 1, max: 6144 },
    ValidTo: { kind: 'any' },
    ExpirationModel: { kind: 'enum', values: ['KEY_MATERIAL_EXPIRES', 'KEY_MATERIAL_DOES_NOT_EXPIRE'] },
    ImportType: { kind: 'enum', values: ['NEW_KEY_MATERIAL', 'EXISTING_KEY_MATERIAL'] },
    KeyMaterialDescription: { kind: 'string', min: 0, max: 256, pattern: /^[a-zA-Z0-9:/_\s.-]+$/ },
    KeyMaterialId: backingKeyId,
  },
  (ctx, input) => {
    const key = importTarget(resolveKey(ctx, input.KeyId!, { aliases: false }));
    const symmetric = isSymmetric(key);
    // "This parameter is optional and only usable with symmetric encryption keys" (each of the three).
    for (const member of ['ImportType', 'KeyMaterialDescription', 'KeyMaterialId'] as const) {
      if (input[member] !== undefined && !symmetric) throw new ValidationException(`${member} is valid only for symmetric encryption KMS keys; ${key.arn} has KeySpec ${key.keySpec}.`);
    }
    const expiration = expirationOf(ctx, input);
    const pending = key.imported?.pending;
    if (!pending || !sameBytes(input.ImportToken as Buffer, Buffer.from(pending.importToken, 'base64'))) {
      throw new InvalidImportTokenException(`The import token is invalid or is associated with a different KMS key: use the ImportToken of the latest GetParametersForImport response for ${key.arn}.`);
    }
    if (ctx.now > pending.expiresAt) {
      throw new ExpiredImportTokenException(`The import token expired at ${new Date(pending.expiresAt).toISOString()}. Call GetParametersForImport for a new public key and import token.`);
    }
    const material = checkMaterial(key, unwrap(pending, input.EncryptedKeyMaterial as Buffer));
    const id = importedMaterialId(key.keyId, material);
    const everImported = key.materials.length > 0;
    // "If no key material has ever been imported … defaults to NEW_KEY_MATERIAL. After the first … EXISTING_KEY_MATERIAL."
    const importType = input.ImportType ?? (everImported ? 'EXISTING_KEY_MATERIAL' : 'NEW_KEY_MATERIAL');
    if (importType === 'NEW_KEY_MATERIAL' && input.KeyMaterialId !== undefined) {
      throw new ValidationException('You cannot specify a KeyMaterialId with ImportType NEW_KEY_MATERIAL.');
    }
    if (input.KeyMaterialId !== undefined && input.KeyMaterialId !== id) {
      throw new IncorrectKeyMaterialException(`The key material does not match KeyMaterialId ${input.KeyMaterialId}.`);
    }
    const imported = (previous?: ImportedMaterial): ImportedMaterial => ({
      state: 'IMPORTED',
      ...expiration,
      // "If you do not specify a key material description, KMS retains the value you specified when you last imported the same key material."
      description: input.KeyMaterialDescription ?? previous?.description,
    });
    const pendingRotation = key.imported?.pendingRotation;
    let materials = key.materials;
    let nextPendingRotation = pendingRotation;
    if (importType === 'NEW_KEY_MATERIAL') {
      if (key.materials.some((m) => m.id === id) || pendingRotation?.id === id) {
        throw new IncorrectKeyMaterialException(`This key material is already associated with ${key.arn}; import it with ImportType EXISTING_KEY_MATERIAL.`);
      }
      const fresh: KeyMaterial = { id, material, createdAt: ctx.now, imported: imported() };
      if (!everImported) materials = [fresh];
      else {
        // New material for a key that has some becomes the next on-demand rotation (rotate-keys-import).
        if (key.multiRegion) {
          throw new UnsupportedOperationException(`${key.arn} is a multi-Region key: this emulator does not import new key material for on-demand rotation into multi-Region keys.`);
        }
        if (pendingRotation) {
          throw new KMSInvalidStateException(`${key.arn} already has key material ${pendingRotation.id} pending rotation. Rotate the key on demand, or delete that key material, before importing other new key material.`);
        }
        nextPendingRotation = fresh;
      }
    } else {
      if (!everImported) throw new IncorrectKeyMaterialException(`No key material has been imported into ${key.arn} yet: import it with ImportType NEW_KEY_MATERIAL.`);
      if (pendingRotation?.id === id) nextPendingRotation = { ...pendingRotation, material, imported: imported(pendingRotation.imported) };
      else if (key.materials.some((m) => m.id === id)) {
        materials = key.materials.map((m) => (m.id === id ? { ...m, material, imported: imported(m.imported) } : m));
      } else {
        throw new IncorrectKeyMaterialException(`The key material is not the key material previously imported into ${key.arn}. A KMS key accepts only its own key material again.`);
      }
    }
    // An import token works once: the next import needs new parameters.
    ctx.store.putKey(settle({ ...key, materials, imported: { ...key.imported, pending: undefined, pendingRotation: nextPendingRotation } }));
    return { KeyId: key.arn, KeyMaterialId: symmetric ? id : undefined };
  },
);

export const DeleteImportedKeyMaterial = operation<DeleteImportedKeyMaterialRequest, DeleteImportedKeyMaterialResponse>(
  { KeyId: F.keyId, KeyMaterialId: backingKeyId },
  (ctx, input) => {
    const key = resolveKey(ctx, input.KeyId!, { aliases: false });
    // Unlike the other import operations this one works on a key pending deletion and leaves its state alone (API reference).
    if (key.origin !== 'EXTERNAL') throw new UnsupportedOperationException(`${key.arn} origin is ${key.origin} which is not valid for this operation.`);
    const symmetric = isSymmetric(key);
    const pendingRotation = key.imported?.pendingRotation;
    const wanted = input.KeyMaterialId;
    if (wanted !== undefined && pendingRotation?.id === wanted) {
      // Material pending rotation "is not permanently associated with the KMS key": it goes altogether.
      ctx.store.putKey(settle({ ...key, imported: { ...key.imported, pendingRotation: undefined } }));
      return { KeyId: key.arn, KeyMaterialId: wanted };
    }
    if (wanted !== undefined && !key.materials.some((m) => m.id === wanted)) {
      throw new NotFoundException(`Key material ${wanted} is not associated with ${key.arn}.`);
    }
    // A key that never had material: the call has no effect (key-state.html).
    if (key.materials.length === 0) return { KeyId: key.arn };
    // "If no KeyMaterialId is specified, KMS deletes the current key material."
    const target = wanted ?? currentMaterial(key).id;
    const materials = key.materials.map((m) => (m.id === target && m.imported?.state === 'IMPORTED' ? withoutBytes(m) : m));
    ctx.store.putKey(settle({ ...key, materials }));
    return { KeyId: key.arn, KeyMaterialId: symmetric ? target : undefined };
  },
);

/**
 * Deletes imported material whose ValidTo has passed (the clock's part of importing-keys-expiration):
 * permanently associated material loses its bytes and the key waits for import; material pending
 * rotation goes altogether. Returns `key` itself when nothing expired.
 */
export function expireImported(key: KeyRecord, now: number): KeyRecord {
  if (!key.imported) return key;
  const expired = (m: KeyMaterial | undefined) => m?.imported?.state === 'IMPORTED' && m.imported.validTo !== undefined && m.imported.validTo <= now;
  const pendingRotation = key.imported.pendingRotation;
  if (!key.materials.some(expired) && !expired(pendingRotation)) return key;
  const materials = key.materials.map((m) => (expired(m) ? withoutBytes(m) : m));
  return settle({ ...key, materials, imported: { ...key.imported, pendingRotation: expired(pendingRotation) ? undefined : pendingRotation } });
}

/**
 * RotateKeyOnDemand for an Origin EXTERNAL key: the material imported as NEW_KEY_MATERIAL (state
 * PENDING_ROTATION) becomes current (RotateKeyOnDemand API reference). The caller has checked the key's
 * spec, state and rotation count.
 */
export function rotateImported(key: KeyRecord, now: number): KeyRecord {
  if (key.multiRegion) {
    throw new UnsupportedOperationException(`${key.arn} is a multi-Region key with imported key material; this emulator does not rotate those on demand.`);
  }
  const next = key.imported?.pendingRotation;
  if (!next) {
    throw new KMSInvalidStateException(
      `${key.arn} has no key material in PENDING_ROTATION state. Import new key material with ImportType NEW_KEY_MATERIAL before calling RotateKeyOnDemand.`,
    );
  }
  return settle({ ...key, materials: [...key.materials, { ...next, createdAt: now, rotationType: 'ON_DEMAND' }], imported: { ...key.imported, pendingRotation: undefined } });
}

/** ListKeyRotations entries of an Origin EXTERNAL symmetric key, with their import state and expiry. */
export function importedRotations(key: KeyRecord, includeAll: boolean): RotationsListEntry[] {
  const current = key.materials.at(-1)?.id;
  const entry = (m: KeyMaterial, state: KeyMaterialState): RotationsListEntry => ({
    KeyId: key.keyId,
    KeyMaterialId: m.id,
    KeyMaterialDescription: m.imported?.description,
    ImportState: m.imported?.state,
    KeyMaterialState: state,
    ExpirationModel: m.imported?.expirationModel,
    ValidTo: m.imported?.expirationModel === 'KEY_MATERIAL_EXPIRES' && m.imported.validTo !== undefined ? new Date(m.imported.validTo) : undefined,
    // "This field is not present for the first key material or an imported key material in PENDING_ROTATION state."
    RotationDate: m.rotationType ? new Date(m.createdAt) : undefined,
    RotationType: m.rotationType,
  });
  const entries = key.materials.filter((m) => includeAll || m.rotationType !== undefined).map((m) => entry(m, m.id === current ? 'CURRENT' : 'NON_CURRENT'));
  // ALL_KEY_MATERIAL "adds the first key material and any imported key material pending rotation".
  if (includeAll && key.imported?.pendingRotation) entries.push(entry(key.imported.pendingRotation, 'PENDING_ROTATION'));
  return entries;
}
