'use server';
/** The playground's KMS calls as server actions: each validates its input and makes one call with the console's credentials. */
import { defineAction } from '@/lib/actions/define-action';
import { clientsFor } from '@/lib/aws/clients';
import { getConfig } from '@/lib/config';
import * as ops from '@/lib/playground/operations';
import * as schemas from '@/lib/playground/schemas';

const kms = (region: string) => clientsFor({ region }).kms;
const mode = () => getConfig().mode;

export const encryptAction = defineAction({ name: 'Encrypt', role: 'operator', input: schemas.encryptInput, run: (i) => ops.encrypt(kms(i.region), mode(), i) });
export const decryptAction = defineAction({ name: 'Decrypt', role: 'operator', input: schemas.decryptInput, run: (i) => ops.decrypt(kms(i.region), mode(), i) });
export const reEncryptAction = defineAction({ name: 'ReEncrypt', role: 'operator', input: schemas.reEncryptInput, run: (i) => ops.reEncrypt(kms(i.region), mode(), i) });
export const generateRandomAction = defineAction({ name: 'GenerateRandom', role: 'operator', input: schemas.generateRandomInput, run: (i) => ops.generateRandom(kms(i.region), mode(), i) });
export const signAction = defineAction({ name: 'Sign', role: 'operator', input: schemas.signInput, run: (i) => ops.sign(kms(i.region), mode(), i) });
export const verifyAction = defineAction({ name: 'Verify', role: 'operator', input: schemas.verifyInput, run: (i) => ops.verify(kms(i.region), mode(), i) });
export const getPublicKeyAction = defineAction({ name: 'GetPublicKey', role: 'operator', input: schemas.getPublicKeyInput, run: (i) => ops.getPublicKey(kms(i.region), mode(), i) });
export const generateMacAction = defineAction({ name: 'GenerateMac', role: 'operator', input: schemas.generateMacInput, run: (i) => ops.generateMac(kms(i.region), mode(), i) });
export const verifyMacAction = defineAction({ name: 'VerifyMac', role: 'operator', input: schemas.verifyMacInput, run: (i) => ops.verifyMac(kms(i.region), mode(), i) });
export const deriveSharedSecretAction = defineAction({
  name: 'DeriveSharedSecret',
  role: 'operator',
  input: schemas.deriveSharedSecretInput,
  run: (i) => ops.deriveSharedSecret(kms(i.region), mode(), i),
});
/** Envelope encryption: the data key goes to the browser tab that asked, and nowhere else (nothing here logs it). */
export const generateDataKeyAction = defineAction({ name: 'GenerateDataKey', role: 'operator', input: schemas.generateDataKeyInput, run: (i) => ops.generateDataKey(kms(i.region), mode(), i) });
export const decryptDataKeyAction = defineAction({ name: 'Decrypt', role: 'operator', input: schemas.decryptDataKeyInput, run: (i) => ops.decryptDataKey(kms(i.region), mode(), i) });
