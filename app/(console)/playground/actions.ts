'use server';
/**
 * The playground's KMS calls as server actions: each validates its input, including the account and
 * region it acts in (configured ones only: scopeFields), and makes one call with that account's credentials.
 */
import { defineAction } from '@/lib/actions/define-action';
import { clientsFor } from '@/lib/aws/clients';
import { getConfig } from '@/lib/config';
import type { Scope } from '@/lib/kms/inventory-types';
import { scopeFields } from '@/lib/kms/scope';
import * as ops from '@/lib/playground/operations';
import * as schemas from '@/lib/playground/schemas';

const kms = ({ region, account }: Scope) => clientsFor({ region, account }).kms;
const mode = () => getConfig().mode;

export const encryptAction = defineAction({ name: 'Encrypt', role: 'operator', input: schemas.encryptInput.extend(scopeFields), run: (i) => ops.encrypt(kms(i), mode(), i) });
export const decryptAction = defineAction({ name: 'Decrypt', role: 'operator', input: schemas.decryptInput.extend(scopeFields), run: (i) => ops.decrypt(kms(i), mode(), i) });
export const reEncryptAction = defineAction({ name: 'ReEncrypt', role: 'operator', input: schemas.reEncryptInput.extend(scopeFields), run: (i) => ops.reEncrypt(kms(i), mode(), i) });
export const generateRandomAction = defineAction({ name: 'GenerateRandom', role: 'operator', input: schemas.generateRandomInput.extend(scopeFields), run: (i) => ops.generateRandom(kms(i), mode(), i) });
export const signAction = defineAction({ name: 'Sign', role: 'operator', input: schemas.signInput.extend(scopeFields), run: (i) => ops.sign(kms(i), mode(), i) });
export const verifyAction = defineAction({ name: 'Verify', role: 'operator', input: schemas.verifyInput.extend(scopeFields), run: (i) => ops.verify(kms(i), mode(), i) });
export const getPublicKeyAction = defineAction({ name: 'GetPublicKey', role: 'operator', input: schemas.getPublicKeyInput.extend(scopeFields), run: (i) => ops.getPublicKey(kms(i), mode(), i) });
export const generateMacAction = defineAction({ name: 'GenerateMac', role: 'operator', input: schemas.generateMacInput.extend(scopeFields), run: (i) => ops.generateMac(kms(i), mode(), i) });
export const verifyMacAction = defineAction({ name: 'VerifyMac', role: 'operator', input: schemas.verifyMacInput.extend(scopeFields), run: (i) => ops.verifyMac(kms(i), mode(), i) });
export const deriveSharedSecretAction = defineAction({
  name: 'DeriveSharedSecret',
  role: 'operator',
  input: schemas.deriveSharedSecretInput.extend(scopeFields),
  run: (i) => ops.deriveSharedSecret(kms(i), mode(), i),
});
/** Envelope encryption: the data key goes to the browser tab that asked, and nowhere else (nothing here logs it). */
export const generateDataKeyAction = defineAction({ name: 'GenerateDataKey', role: 'operator', input: schemas.generateDataKeyInput.extend(scopeFields), run: (i) => ops.generateDataKey(kms(i), mode(), i) });
export const decryptDataKeyAction = defineAction({ name: 'Decrypt', role: 'operator', input: schemas.decryptDataKeyInput.extend(scopeFields), run: (i) => ops.decryptDataKey(kms(i), mode(), i) });
