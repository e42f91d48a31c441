/**
 * The emulator's state — regions → accounts → keys and aliases — and its persistence: an append-only
 * journal, fsynced before a mutation is acknowledged, compacted into a snapshot at start-up. Key
 * material is sealed at rest with AES-256-GCM under a local root key (mode 0600).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { KeyState, KeyUsageType, OriginType, Tag } from '@aws-sdk/client-kms';
import type { SupportedKeySpec } from './key-specs';

export interface KeyMaterial {
  /** KeyMaterialId / backing key id: 64 hex characters. */
  id: string;
  /** Empty when imported material was deleted or expired (`imported.state` PENDING_IMPORT): its id and place stay. */
  material: Buffer;
  createdAt: number;
  /** Absent for the key's original material. */
  rotationType?: 'AUTOMATIC' | 'ON_DEMAND';
  /** Material imported into an Origin EXTERNAL key (operations/import.ts). */
  imported?: ImportedMaterial;
}

export interface ImportedMaterial {
  state: 'IMPORTED' | 'PENDING_IMPORT';
  expirationModel: 'KEY_MATERIAL_EXPIRES' | 'KEY_MATERIAL_DOES_NOT_EXPIRE';
  /** When it expires (KEY_MATERIAL_EXPIRES). */
  validTo?: number;
  description?: string;
}

export interface KeyRecord {
  seq: number;
  keyId: string;
  account: string;
  region: string;
  arn: string;
  createdAt: number;
  description: string;
  keySpec: SupportedKeySpec;
  keyUsage: KeyUsageType;
  origin: OriginType;
  keyManager: 'CUSTOMER' | 'AWS';
  keyState: KeyState;
  deletionDate?: number;
  pendingWindowInDays?: number;
  multiRegion: boolean;
  policy: string;
  tags: Tag[];
  rotation: { enabled: boolean; periodInDays?: number; nextRotationDate?: number };
  /** Oldest first; the last is current. Every version is kept so old ciphertexts still decrypt. */
  materials: KeyMaterial[];
  /** Grants on this key (operations/grants.ts). */
  grants?: GrantRecord[];
  /** Imported key material (Origin EXTERNAL; operations/import.ts). */
  imported?: ImportRecord;
  /** Multi-Region keys: the region of the primary key of the set (operations/multi-region.ts). */
  primaryRegion?: string;
}

export interface GrantRecord {
  grantId: string;
  /** The token CreateGrant returned; usable at once in GrantTokens. */
  grantToken: string;
  name?: string;
  granteePrincipal: string;
  retiringPrincipal?: string;
  operations: string[];
  constraints?: { EncryptionContextEquals?: Record<string, string>; EncryptionContextSubset?: Record<string, string> };
  issuingAccount: string;
  createdAt: number;
}

export interface ImportRecord {
  /** DescribeKey's ExpirationModel and ValidTo: the earliest expiry of the imported materials in `materials`. */
  expirationModel?: 'KEY_MATERIAL_EXPIRES' | 'KEY_MATERIAL_DOES_NOT_EXPIRE';
  validTo?: number;
  /** The open GetParametersForImport, if any. Its private wrapping key is sealed at rest like key material. */
  pending?: PendingImportParameters;
  /** New material imported for RotateKeyOnDemand, not yet part of `materials` (KeyMaterialState PENDING_ROTATION). */
  pendingRotation?: KeyMaterial;
}

export interface PendingImportParameters {
  /** Base64 of the ImportToken. */
  importToken: string;
  wrappingAlgorithm: string;
  wrappingKeySpec: string;
  /** PKCS #8 DER. */
  wrappingPrivateKey: Buffer;
  expiresAt: number;
}

export interface AliasRecord {
  seq: number;
  account: string;
  region: string;
  name: string;
  targetKeyId: string;
  createdAt: number;
  updatedAt: number;
}

interface RegionState {
  /** Every key of the region, any account: ciphertexts name a key id, and key ids are unique. */
  keys: Map<string, KeyRecord>;
  byAccount: Map<string, Map<string, KeyRecord>>;
  aliases: Map<string, Map<string, AliasRecord>>;
}

/** One change to the state, as replicas receive it (key material in the clear: it never leaves the process's threads). */
export type StoreChange =
  | { t: 'key'; region: string; id: string; value: KeyRecord | null }
  | { t: 'alias'; region: string; account: string; name: string; value: AliasRecord | null };

type JournalEntry =
  | { t: 'key'; region: string; id: string; value: SealedKey | null }
  | { t: 'alias'; region: string; account: string; name: string; value: AliasRecord | null };

type SealedMaterial = Omit<KeyMaterial, 'material'> & { sealed: string };
type SealedImport = Omit<ImportRecord, 'pending' | 'pendingRotation'> & {
  pending?: Omit<PendingImportParameters, 'wrappingPrivateKey'> & { sealedWrappingKey: string };
  pendingRotation?: SealedMaterial;
};
type SealedKey = Omit<KeyRecord, 'materials' | 'imported'> & { materials: SealedMaterial[]; imported?: SealedImport };

const EMPTY: ReadonlyMap<string, never> = new Map<string, never>();

export class Store {
  private readonly regions = new Map<string, RegionState>();
  private seq = 0;
  /** The earliest time a key is due for deletion or automatic rotation. */
  nextDueAt = Infinity;
  private journalFd: number | undefined;
  private readonly listeners: ((change: StoreChange) => void)[] = [];
  private rootKey: Buffer | undefined;

  private constructor(
    private readonly dir: string | undefined,
    private readonly replica: boolean,
  ) {}

  /** Opens (or creates) the store under `dir`; in memory when `dir` is undefined. A replica only applies others' changes. */
  static open(dir?: string, { replica = false } = {}): Store {
    const store = new Store(dir, replica);
    if (dir) store.load(dir);
    return store;
  }

  private region(name: string): RegionState {
    let r = this.regions.get(name);
    if (!r) {
      r = { keys: new Map(), byAccount: new Map(), aliases: new Map() };
      this.regions.set(name, r);
    }
    return r;
  }

  nextSeq(): number {
    return ++this.seq;
  }

  regionNames(): string[] {
    return [...this.regions.keys()];
  }

  key(region: string, keyId: string): KeyRecord | undefined {
    return this.regions.get(region)?.keys.get(keyId);
  }

  keysOf(region: string, account: string): ReadonlyMap<string, KeyRecord> {
    return this.regions.get(region)?.byAccount.get(account) ?? EMPTY;
  }

  allKeys(region: string): ReadonlyMap<string, KeyRecord> {
    return this.regions.get(region)?.keys ?? EMPTY;
  }

  alias(region: string, account: string, name: string): AliasRecord | undefined {
    return this.regions.get(region)?.aliases.get(account)?.get(name);
  }

  aliasesOf(region: string, account: string): ReadonlyMap<string, AliasRecord> {
    return this.regions.get(region)?.aliases.get(account) ?? EMPTY;
  }

  /** Stores a new or changed key durably. Call after every mutation of a record. */
  putKey(key: KeyRecord): void {
    this.commit({ t: 'key', region: key.region, id: key.keyId, value: key });
  }

  deleteKey(key: KeyRecord): void {
    this.commit({ t: 'key', region: key.region, id: key.keyId, value: null });
  }

  putAlias(alias: AliasRecord): void {
    this.commit({ t: 'alias', region: alias.region, account: alias.account, name: alias.name, value: alias });
  }

  deleteAlias(alias: AliasRecord): void {
    this.commit({ t: 'alias', region: alias.region, account: alias.account, name: alias.name, value: null });
  }

  /** Hears every committed change, after it is durable: the standalone server feeds its workers' replicas with it. */
  onChange(listener: (change: StoreChange) => void): void {
    this.listeners.push(listener);
  }

  /** Applies a change made by another store (a replica following its primary); nothing is journaled. */
  apply(change: StoreChange): void {
    if (change.t === 'key') this.applyKey(change.region, change.id, change.value);
    else this.applyAlias(change.region, change.account, change.name, change.value);
  }

  /** The whole state as changes, oldest first: what a new replica applies to catch up. */
  snapshot(): StoreChange[] {
    const changes: StoreChange[] = [];
    for (const [region, r] of this.regions) {
      for (const key of r.keys.values()) changes.push({ t: 'key', region, id: key.keyId, value: key });
      for (const [account, aliases] of r.aliases) {
        for (const alias of aliases.values()) changes.push({ t: 'alias', region, account, name: alias.name, value: alias });
      }
    }
    return changes;
  }

  private commit(change: StoreChange): void {
    // A replica's state must only ever be its primary's; a local change would silently diverge.
    if (this.replica) throw new Error('A replica store cannot change state; route this operation to the primary.');
    this.apply(change);
    if (change.t === 'key') this.append({ ...change, value: change.value && this.journalFd !== undefined ? this.seal(change.value) : null });
    else this.append(change);
    for (const listener of this.listeners) listener(change);
  }

  close(): void {
    if (this.journalFd !== undefined) fs.closeSync(this.journalFd);
    this.journalFd = undefined;
  }

  // ---- in-memory application ----------------------------------------------------------------

  private applyKey(region: string, id: string, key: KeyRecord | null): void {
    const r = this.region(region);
    if (!key) {
      const previous = r.keys.get(id);
      r.keys.delete(id);
      if (previous) r.byAccount.get(previous.account)?.delete(id);
      return;
    }
    // Map.set keeps an existing entry's position, so listing order stays creation order.
    r.keys.set(id, key);
    let mine = r.byAccount.get(key.account);
    if (!mine) r.byAccount.set(key.account, (mine = new Map()));
    mine.set(id, key);
    if (key.seq > this.seq) this.seq = key.seq;
    this.nextDueAt = Math.min(this.nextDueAt, dueAt(key));
  }

  private applyAlias(region: string, account: string, name: string, alias: AliasRecord | null): void {
    const r = this.region(region);
    let mine = r.aliases.get(account);
    if (!mine) r.aliases.set(account, (mine = new Map()));
    if (alias) {
      mine.set(name, alias);
      if (alias.seq > this.seq) this.seq = alias.seq;
    } else mine.delete(name);
  }

  // ---- persistence --------------------------------------------------------------------------

  private append(entry: JournalEntry): void {
    if (this.journalFd === undefined) return;
    fs.writeSync(this.journalFd, JSON.stringify(entry) + '\n');
    fs.fsyncSync(this.journalFd);
  }

  private seal(key: KeyRecord): SealedKey {
    const { imported, ...rest } = key;
    const sealed: SealedKey = { ...rest, materials: key.materials.map((m) => this.sealMaterial(m)) };
    if (imported) {
      const { pending, pendingRotation, ...summary } = imported;
      sealed.imported = summary;
      if (pending) {
        const { wrappingPrivateKey, ...open } = pending;
        sealed.imported.pending = { ...open, sealedWrappingKey: this.sealBytes(wrappingPrivateKey, `wrapping-key:${pending.importToken}`) };
      }
      if (pendingRotation) sealed.imported.pendingRotation = this.sealMaterial(pendingRotation);
    }
    return sealed;
  }

  private unseal(sealed: SealedKey): KeyRecord {
    const { imported, ...rest } = sealed;
    const key: KeyRecord = { ...rest, materials: sealed.materials.map((m) => this.unsealMaterial(m)) };
    if (imported) {
      const { pending, pendingRotation, ...summary } = imported;
      key.imported = summary;
      if (pending) {
        const { sealedWrappingKey, ...open } = pending;
        key.imported.pending = { ...open, wrappingPrivateKey: this.unsealBytes(sealedWrappingKey, `wrapping-key:${pending.importToken}`) };
      }
      if (pendingRotation) key.imported.pendingRotation = this.unsealMaterial(pendingRotation);
    }
    return key;
  }

  private sealMaterial({ material, ...rest }: KeyMaterial): SealedMaterial {
    return { ...rest, sealed: this.sealBytes(material, rest.id) };
  }

  private unsealMaterial({ sealed, ...rest }: SealedMaterial): KeyMaterial {
    return { ...rest, material: this.unsealBytes(sealed, rest.id) };
  }

  /** AES-256-GCM under the root key, bound to `label` (a material id, say): iv | tag | ciphertext, base64. */
  private sealBytes(bytes: Buffer, label: string): string {
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.rootKey!, iv);
    cipher.setAAD(Buffer.from(label));
    const body = Buffer.concat([cipher.update(bytes), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  private unsealBytes(blob: string, label: string): Buffer {
    const raw = Buffer.from(blob, 'base64');
    const decipher = crypto.createDecipheriv('aes-256-gcm', this.rootKey!, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    decipher.setAAD(Buffer.from(label));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
  }

  private load(dir: string): void {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.rootKey = readOrCreateRootKey(path.join(dir, 'root.key'));
    const snapshotPath = path.join(dir, 'snapshot.json');
    const journalPath = path.join(dir, 'journal.jsonl');
    if (fs.existsSync(snapshotPath)) {
      const snapshot = JSON.parse(fs.readFileSync(snapshotPath, 'utf8')) as { entries: JournalEntry[] };
      for (const entry of snapshot.entries) this.replay(entry);
    }
    if (fs.existsSync(journalPath)) {
      const lines = fs.readFileSync(journalPath, 'utf8').split('\n');
      lines.forEach((line, i) => {
        if (!line) return;
        let entry: JournalEntry;
        try {
          entry = JSON.parse(line) as JournalEntry;
        } catch (error) {
          // A torn final line is a write that was never acknowledged; anything else is corruption.
          if (i >= lines.length - 2) return;
          throw new Error(`Emulator journal ${journalPath} is corrupt at line ${i + 1}`, { cause: error });
        }
        this.replay(entry);
      });
      this.compact(dir, snapshotPath, journalPath);
    }
    this.journalFd = fs.openSync(journalPath, 'a', 0o600);
  }

  private replay(entry: JournalEntry): void {
    if (entry.t === 'alias') return this.apply(entry);
    try {
      this.apply({ ...entry, value: entry.value ? this.unseal(entry.value) : null });
    } catch (error) {
      throw new Error(`Emulator key ${entry.id} cannot be unsealed with ${this.dir}/root.key: wrong root key or tampered data`, { cause: error });
    }
  }

  /** Rewrites the whole state as one snapshot (write, fsync, rename) and empties the journal. */
  private compact(dir: string, snapshotPath: string, journalPath: string): void {
    const entries: JournalEntry[] = this.snapshot().map((c) => (c.t === 'key' ? { ...c, value: c.value && this.seal(c.value) } : c));
    const tmp = `${snapshotPath}.tmp`;
    const fd = fs.openSync(tmp, 'w', 0o600);
    fs.writeSync(fd, JSON.stringify({ entries }));
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(tmp, snapshotPath);
    fsyncDir(dir);
    fs.truncateSync(journalPath, 0);
  }
}

/** When the clock next changes this key by itself: its deletion, its next automatic rotation, or the expiry of imported material. */
export function dueAt(key: KeyRecord): number {
  // Imported material expires in any key state, even while the key waits for deletion (importing-keys-expiration).
  const expiry = key.imported ? Math.min(key.imported.validTo ?? Infinity, key.imported.pendingRotation?.imported?.validTo ?? Infinity) : Infinity;
  if (key.keyState === 'PendingDeletion') return Math.min(key.deletionDate ?? Infinity, expiry);
  // A multi-Region replica rotates with its primary (operations/multi-region-set.ts), never by itself.
  if (key.keyState === 'Enabled' && key.rotation.enabled && (key.primaryRegion ?? key.region) === key.region) return Math.min(key.rotation.nextRotationDate ?? Infinity, expiry);
  return expiry;
}

function readOrCreateRootKey(file: string): Buffer {
  try {
    const fd = fs.openSync(file, 'wx', 0o600);
    const key = crypto.randomBytes(32);
    fs.writeSync(fd, key);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fsyncDir(path.dirname(file));
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const key = fs.readFileSync(file);
  if (key.length !== 32) throw new Error(`Emulator root key ${file} is not 32 bytes`);
  return key;
}

function fsyncDir(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  fs.fsyncSync(fd);
  fs.closeSync(fd);
}
