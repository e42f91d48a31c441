/**
 * The plan of a manual rotation, for keys KMS cannot rotate (imported, asymmetric, HMAC): create a new key
 * like this one, move the chosen aliases to it, keep the old key enabled so what it encrypted or signed
 * still decrypts or verifies. Pure: the page shows the plan for review before any call is made.
 */
import type { KeyDetail } from './key-detail-types';

export type ManualRotationStep =
  | { kind: 'create'; title: string; detail: string }
  | { kind: 'move-alias'; alias: string; title: string; detail: string }
  | { kind: 'keep-old'; title: string; detail: string };

export function planManualRotation(key: Pick<KeyDetail, 'row' | 'multiRegion'>, aliases: readonly string[]): ManualRotationStep[] {
  const { row } = key;
  const external = row.origin === 'EXTERNAL';
  const tagCount = Object.keys(row.tags).length;
  const create: ManualRotationStep = {
    kind: 'create',
    title: 'Create a new key like this one',
    detail:
      `CreateKey with key spec ${row.spec}, usage ${row.usage}, origin ${row.origin}` +
      `${row.multiRegion ? ', multi-Region' : ''}, the same description, ${tagCount} ${tagCount === 1 ? 'tag' : 'tags'} and this key's policy.` +
      (external ? ' The new key starts in Pending import: import its new key material (GetParametersForImport, ImportKeyMaterial) before it can be used.' : '') +
      (row.multiRegion ? ' Replicas are not created: replicate the new key to the Regions you need.' : ''),
  };
  const moves: ManualRotationStep[] = aliases.map((alias) => ({
    kind: 'move-alias',
    alias,
    title: `Move ${alias} to the new key`,
    detail:
      `UpdateAlias: applications that use ${alias} switch to the new key on their next call.` +
      (external ? ' Until its material is imported, calls through this alias will fail (KMSInvalidStateException).' : ''),
  }));
  const verb = row.usage === 'SIGN_VERIFY' ? 'verify signatures made' : row.usage === 'GENERATE_VERIFY_MAC' ? 'verify MACs made' : 'decrypt data encrypted';
  const keep: ManualRotationStep = {
    kind: 'keep-old',
    title: 'Keep this key enabled',
    detail: `Nothing is called: this key stays Enabled so you can still ${verb} with it. Disable it (and later schedule its deletion) once nothing needs it.`,
  };
  return [create, ...moves, keep];
}
