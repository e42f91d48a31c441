'use server';
/** The playground's KMS calls as server actions: each validates its input and makes one call with the console's credentials. */
import { defineAction } from '@/lib/actions/define-action';
import { clientsFor } from '@/lib/aws/clients';
import { getConfig } from '@/lib/config';
import * as ops from '@/lib/playground/operations';
import * as schemas from '@/lib/playground/schemas';

const kms = (region: string) => clientsFor({ region }).kms;
const mode = () => getConfig().mode;

export const encryptAction = defineAction({ name: 'Encrypt', input: schemas.encryptInput, run: (i) => ops.encrypt(kms(i.region), mode(), i) });
export const decryptAction = defineAction({ name: 'Decrypt', input: schemas.decryptInput, run: (i) => ops.decrypt(kms(i.region), mode(), i) });
export const reEncryptAction = defineAction({ name: 'ReEncrypt', input: schemas.reEncryptInput, run: (i) => ops.reEncrypt(kms(i.region), mode(), i) });
export const generateRandomAction = defineAction({ name: 'GenerateRandom', input: schemas.generateRandomInput, run: (i) => ops.generateRandom(kms(i.region), mode(), i) });
export const signAction = defineAction({ name: 'Sign', input: schemas.signInput, run: (i) => ops.sign(kms(i.region), mode(), i) });
export const verifyAction = defineAction({ name: 'Verify', input: schemas.verifyInput, run: (i) => ops.verify(kms(i.region), mode(), i) });
export const getPublicKeyAction = defineAction({ name: 'GetPublicKey', input: schemas.getPublicKeyInput, run: (i) => ops.getPublicKey(kms(i.region), mode(), i) });
export const generateMacAction = defineAction({ name: 'GenerateMac', input: schemas.generateMacInput, run: (i) => ops.generateMac(kms(i.region), mode(), i) });
export const verifyMacAction = defineAction({ name: 'VerifyMac', input: schemas.verifyMacInput, run: (i) => ops.verifyMac(kms(i.region), mode(), i) });
export const deriveSharedSecretAction = defineAction({
  name: 'DeriveSharedSecret',
  input: schemas.deriveSharedSecretInput,
  run: (i) => ops.deriveSharedSecret(kms(i.region), mode(), i),
});
/** Envelope encryption: the data key goes to the browser tab that asked, and nowhere else (nothing here logs it). */
export const generateDataKeyAction = defineAction({ name: 'GenerateDataKey', input: schemas.generateDataKeyInput, run: (i) => ops.generateDataKey(kms(i.region), mode(), i) });
export const decryptDataKeyAction = defineAction({ name: 'Decrypt', input: schemas.decryptDataKeyInput, run: (i) => ops.decryptDataKey(kms(i.region), mode(), i) });
