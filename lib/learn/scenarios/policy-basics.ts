/** Scenario 3: the default key policy, a custom one that separates administrators from users, and a denied call explained. */
import { DecryptCommand, DescribeKeyCommand, EncryptCommand, GetKeyPolicyCommand, PutKeyPolicyCommand } from '@aws-sdk/client-kms';
import { DEMO_ACCOUNT } from '@/lib/emulator/identities';
import { parsePolicy, type PolicyDocument } from '@/lib/policy';
import { simulate } from '@/lib/policy/access';
import { buildConsolePolicy } from '@/lib/policy/default-view';
import { identityOf } from '../runtime';
import type { StepContext } from '../runtime';
import type { ScenarioDefinition } from '../scenario';
import { createScenarioKey, fromB64 } from './helpers';

const SECURITY_ADMIN_ROLE = `arn:aws:iam::${DEMO_ACCOUNT}:role/security-admin`;
const APP_ROLE = `arn:aws:iam::${DEMO_ACCOUNT}:role/app`;
export const DENY_SID = 'Deny the auditor plaintext';

/** The console's policy (root, administrators, users) plus one explicit Deny. */
export function customPolicy(): string {
  const policy = buildConsolePolicy({ account: DEMO_ACCOUNT, administrators: [SECURITY_ADMIN_ROLE], users: [APP_ROLE], allowGrantsForAwsResources: false, keyUsage: 'ENCRYPT_DECRYPT', keySpec: 'SYMMETRIC_DEFAULT' });
  const auditor = identityOf('auditor').arn;
  return JSON.stringify(
    { ...policy, Statement: [...policy.Statement, { Sid: DENY_SID, Effect: 'Deny', Principal: { AWS: auditor }, Action: 'kms:Decrypt', Resource: '*' }] },
    null,
    2,
  );
}

function parsed(text: string, kind: 'key-policy' | 'identity-policy'): PolicyDocument {
  const result = parsePolicy(text, { kind });
  if (!result.ok) throw new Error(`A built-in policy does not parse: ${result.errors[0]?.message}`);
  return result.policy;
}

export const policyBasics: ScenarioDefinition = {
  id: 'key-policy-basics',
  number: 3,
  title: 'Key policy basics',
  summary: 'Read the default key policy, replace it with one that separates administrators from users, and see a denied call explained statement by statement.',
  region: 'us-east-1',
  steps: [
    {
      id: 'default-policy',
      title: 'The default key policy',
      what: 'CreateKey without a policy, then GetKeyPolicy.',
      why: 'The default policy has one statement: the account root may do kms:*. That does not open the key to everyone — it lets IAM policies in the account decide, which is how most keys are run.',
      async run(ctx: StepContext) {
        const key = await createScenarioKey(ctx);
        ctx.set('keyArn', key.Arn!);
        const out = await ctx.call('GetKeyPolicy', { KeyId: key.Arn!, PolicyName: 'default' }, (kms, i) => kms.send(new GetKeyPolicyCommand(i)));
        const policy = JSON.parse(out.Policy ?? '{}') as { Id?: string; Statement?: { Sid?: string; Principal?: { AWS?: string }; Action?: string }[] };
        ctx.check(policy.Id === 'key-default-1', `The default policy's Id is ${policy.Id}, not key-default-1.`);
        const root = policy.Statement?.[0];
        ctx.check(policy.Statement?.length === 1 && root?.Sid === 'Enable IAM User Permissions' && root.Principal?.AWS === `arn:aws:iam::${DEMO_ACCOUNT}:root` && root.Action === 'kms:*', 'The default policy is not the one root statement AWS writes.');
        return 'One statement, "Enable IAM User Permissions": the account root gets kms:*, so IAM policies apply.';
      },
    },
    {
      id: 'custom-policy',
      title: 'Administrators and users',
      what: 'PutKeyPolicy with the policy the AWS console writes — the security-admin role administers, the app role uses — plus an explicit Deny of Decrypt for the auditor.',
      why: 'Separating duties: administrators can change and delete the key but cannot decrypt; users can encrypt and decrypt but cannot change the policy.',
      async run(ctx: StepContext) {
        const policy = customPolicy();
        await ctx.call('PutKeyPolicy', { KeyId: ctx.get('keyArn'), PolicyName: 'default', Policy: policy }, (kms, i) => kms.send(new PutKeyPolicyCommand(i)));
        const out = await ctx.call('GetKeyPolicy', { KeyId: ctx.get('keyArn'), PolicyName: 'default' }, (kms, i) => kms.send(new GetKeyPolicyCommand(i)));
        const sids = (JSON.parse(out.Policy ?? '{}') as { Statement?: { Sid?: string }[] }).Statement?.map((s) => s.Sid) ?? [];
        ctx.check(sids.includes('Allow access for Key Administrators') && sids.includes('Allow use of the key') && sids.includes(DENY_SID), `The saved policy has statements ${sids.join(', ')}.`);
        return `The key policy now has ${sids.length} statements: ${sids.join(' · ')}.`;
      },
    },
    {
      id: 'admins-vs-users',
      title: 'An administrator cannot encrypt; the application can',
      what: 'As the security-admin role: DescribeKey (allowed), then Encrypt (denied). As the app role: Encrypt (allowed).',
      why: 'Neither the key policy nor the security-admin role\'s IAM policy allows kms:Encrypt for it, so KMS denies it by default; the app role is named in "Allow use of the key".',
      async run(ctx: StepContext) {
        const keyArn = ctx.get('keyArn');
        await ctx.call('DescribeKey', { KeyId: keyArn }, (kms, i) => kms.send(new DescribeKeyCommand(i)), { as: 'security-admin' });
        const plaintext = new TextEncoder().encode('card number 4111 1111 1111 1111');
        const denied = await ctx.refused('Encrypt', { KeyId: keyArn, Plaintext: plaintext }, (kms, i) => kms.send(new EncryptCommand(i)), 'AccessDeniedException', { as: 'security-admin', secretRequest: ['Plaintext'] });
        const out = await ctx.call('Encrypt', { KeyId: keyArn, Plaintext: plaintext }, (kms, i) => kms.send(new EncryptCommand(i)), { as: 'app', secretRequest: ['Plaintext'] });
        ctx.set('ciphertext', Buffer.from(out.CiphertextBlob!).toString('base64'));
        return `security-admin: DescribeKey allowed, Encrypt refused (${denied.name}); app: Encrypt allowed.`;
      },
    },
    {
      id: 'denied-explained',
      title: 'A denied call, explained',
      what: 'The auditor calls Decrypt on the app\'s ciphertext and is refused; the policy simulator (lib/policy, the same evaluation the emulator runs) names the statement that decided.',
      why: 'An explicit Deny wins over every Allow — here over the root statement that would let an IAM policy allow it. Knowing which statement decided is how you fix, or defend, an AccessDeniedException.',
      async run(ctx: StepContext) {
        const keyArn = ctx.get('keyArn');
        const error = await ctx.refused('Decrypt', { CiphertextBlob: fromB64(ctx.get('ciphertext')) }, (kms, i) => kms.send(new DecryptCommand(i)), 'AccessDeniedException', { as: 'auditor', secretResponse: ['Plaintext'] });
        const out = await ctx.call('GetKeyPolicy', { KeyId: keyArn, PolicyName: 'default' }, (kms, i) => kms.send(new GetKeyPolicyCommand(i)));
        const auditor = identityOf('auditor');
        const { decision } = simulate(
          { principal: auditor.arn, action: 'kms:Decrypt' },
          { policy: parsed(out.Policy ?? '{}', 'key-policy'), keyArn, grants: [], identityPolicies: auditor.policies.map((p) => parsed(p, 'identity-policy')) },
        );
        const decidedBy = decision.statements.map((s) => `${s.source} statement ${s.sid ? `"${s.sid}"` : `#${s.statementIndex + 1}`} (${s.effect})`).join(', ');
        ctx.note('Simulation', `${decision.decision} (${decision.reason}) — decided by ${decidedBy || 'no statement'}.\n${decision.explanation}`);
        ctx.check(decision.decision === 'Deny' && decision.reason === 'ExplicitDeny', `The simulation says ${decision.decision} (${decision.reason}), not an explicit Deny.`);
        ctx.check(decision.statements.some((s) => s.sid === DENY_SID), `The simulation names ${decidedBy}, not "${DENY_SID}".`);
        return `KMS said ${error.name}; the simulation agrees and names the key policy statement "${DENY_SID}".`;
      },
    },
  ],
};
