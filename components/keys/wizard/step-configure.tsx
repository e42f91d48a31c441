/** Step 1: key type, usage and spec (only the combinations KMS allows), key material origin and Regionality. */
import { Info } from 'lucide-react';
import { algorithmsOf, SPEC_DESCRIPTIONS, specsFor, supportsExternalOrigin, usagesOfType, type KeyDraft, type WizardKeyType, type WizardOrigin } from '@/lib/kms/create-key';
import { USAGE_LABELS } from '@/lib/kms/labels';
import type { ConsoleKeyUsage } from '@/lib/policy/default-view';
import { ChoiceCards } from './choice-cards';
import type { WizardAction } from './wizard-state';

const TYPE_CHOICES: { value: WizardKeyType; title: string; description: string }[] = [
  { value: 'symmetric', title: 'Symmetric', description: 'One 256-bit AES key that never leaves KMS. Encrypts and decrypts; the kind AWS services use.' },
  { value: 'asymmetric', title: 'Asymmetric', description: 'A key pair (RSA, elliptic curve or ML-DSA): the public key can be downloaded and used outside AWS.' },
  { value: 'hmac', title: 'HMAC', description: 'A symmetric key that generates and verifies message authentication codes.' },
];

const USAGE_HELP: Record<ConsoleKeyUsage, string> = {
  ENCRYPT_DECRYPT: 'Encrypt, decrypt and re-encrypt data.',
  SIGN_VERIFY: 'Sign messages and verify signatures.',
  KEY_AGREEMENT: 'Derive shared secrets (ECDH) with another party’s public key.',
  GENERATE_VERIFY_MAC: 'Generate and verify HMAC tags.',
};

export function StepConfigure({ draft, dispatch }: { draft: KeyDraft; dispatch: (action: WizardAction) => void }) {
  const set = (change: Extract<WizardAction, { type: 'configure' }>['change']) => dispatch({ type: 'configure', change });
  const usages = usagesOfType(draft.keyType);
  const specs = specsFor(draft.keyType, draft.keyUsage);
  const externalAllowed = supportsExternalOrigin(draft.keySpec);
  return (
    <div className="grid gap-6">
      <ChoiceCards legend="Key type" name="key-type" value={draft.keyType} choices={TYPE_CHOICES} onChange={(keyType) => set({ keyType })} />
      {usages.length > 1 && (
        <ChoiceCards
          legend="Key usage"
          name="key-usage"
          value={draft.keyUsage}
          choices={usages.map((usage) => ({ value: usage, title: USAGE_LABELS[usage], description: USAGE_HELP[usage] }))}
          onChange={(keyUsage) => set({ keyUsage })}
          hint="What the key may be used for. It cannot be changed after the key is created."
        />
      )}
      <ChoiceCards
        legend="Key spec"
        name="key-spec"
        value={draft.keySpec}
        columns={specs.length > 3 ? 4 : 3}
        choices={specs.map((spec) => ({
          value: spec,
          title: spec,
          description: (
            <>
              {SPEC_DESCRIPTIONS[spec]}
              <span className="mt-1 block font-mono text-xs break-words text-zinc-500 dark:text-zinc-400">{algorithmsOf(spec, draft.keyUsage).join(', ')}</span>
            </>
          ),
        }))}
        onChange={(keySpec) => set({ keySpec })}
        hint={`The ${draft.keyType === 'symmetric' ? 'key' : draft.keyType === 'hmac' ? 'HMAC key length' : 'key pair’s algorithm and size'} and the algorithms it will offer for ${USAGE_LABELS[draft.keyUsage].toLowerCase()}.`}
      />
      <ChoiceCards<WizardOrigin>
        legend="Key material origin"
        name="origin"
        value={draft.origin}
        columns={2}
        choices={[
          { value: 'AWS_KMS', title: 'KMS', description: 'KMS generates the key material.' },
          {
            value: 'EXTERNAL',
            title: 'External (import key material)',
            description: externalAllowed ? 'You bring your own key material and import it after the key is created.' : 'Not available for ML-DSA keys: KMS cannot import their material.',
            disabled: !externalAllowed,
          },
        ]}
        onChange={(origin) => set({ origin })}
      />
      {draft.origin === 'EXTERNAL' && (
        <p className="-mt-4 flex gap-2 rounded-lg border border-sky-300 bg-sky-50 p-3 text-sm text-sky-950 dark:border-sky-400/30 dark:bg-sky-400/10 dark:text-sky-100">
          <Info aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
          <span>
            The key starts in the <strong>Pending import</strong> state, without key material. It can be used once you import material into it
            (GetParametersForImport, then ImportKeyMaterial). You are responsible for keeping a copy of that material.
          </span>
        </p>
      )}
      <ChoiceCards
        legend="Regionality"
        name="regionality"
        value={draft.multiRegion ? 'multi' : 'single'}
        columns={2}
        choices={[
          { value: 'single', title: 'Single-Region key', description: 'The key exists in this Region only.' },
          { value: 'multi', title: 'Multi-Region key', description: 'A primary key (id mrk-…) you can replicate to other Regions; ciphertexts decrypt in any of them.' },
        ]}
        onChange={(regionality) => set({ multiRegion: regionality === 'multi' })}
      />
    </div>
  );
}
