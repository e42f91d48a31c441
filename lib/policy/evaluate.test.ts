/**
 * Evaluation cases, each an outcome AWS documents, with the page it comes from (the table is in
 * evaluation-cases.ts, shared with the emulator agreement test).
 * Defaults: alice (111122223333) calls kms:Decrypt on a key in 111122223333 with an empty context.
 */
import { describe, expect, it } from 'vitest';
import { allowedOrRefusal, evaluate } from './evaluate';
import { EVALUATION_CASES as cases, aliceMayDecrypt, allowFor, iamAllow, iamPolicy, keyPolicy, requestFor } from './evaluation-cases';
import { parsePolicy } from './parse';
import { ALICE, BOB, OTHER_ACCOUNT, OTHER_ROOT, OTHER_USER, defaultKeyPolicyDoc } from './test-support';

describe('evaluate: documented AWS outcomes', () => {
  it('has at least 60 cases, each citing an AWS documentation page', () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
    for (const c of cases) expect(c.doc).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
  });

  it.each(cases)('$name — $doc', (c) => {
    const d = evaluate(requestFor(c));
    const reason = c.expect === 'Allow' ? 'Allowed' : c.expect;
    expect({ decision: d.decision, reason: d.reason }, d.explanation).toEqual({ decision: c.expect === 'Allow' ? 'Allow' : 'Deny', reason });
    if (c.allowedBy) expect(d.allowedBy).toEqual(c.allowedBy);
    if (c.sids) expect(d.statements.map((s) => s.sid)).toEqual(c.sids);
    if (c.grantId) expect(d.grantId).toBe(c.grantId);
  });
});

describe('allowedOrRefusal: the emulator\'s shortcut', () => {
  it.each(cases)('agrees with evaluate: $name', (c) => {
    const full = evaluate(requestFor(c));
    const quick = allowedOrRefusal(requestFor(c));
    // Allowed: just true (no statements, no sentence); refused: the very Decision evaluate gives, wording included.
    if (full.decision === 'Allow') expect(quick).toBe(true);
    else expect(quick).toEqual(full);
  });
});

describe('allowedOrRefusal: statements worked out once per document, action and caller', () => {
  // Each case's documents asked again and again, by every case's caller with its action and request facts: what
  // was worked out for one caller or action must never answer for another.
  it('agrees with evaluate for every caller and action of the table on every case\'s documents, asked twice', () => {
    const requests = cases.map(requestFor);
    let compared = 0;
    for (const documents of requests) {
      for (const asker of requests) {
        const request = {
          ...documents,
          action: asker.action,
          principal: asker.principal,
          service: asker.service,
          encryptionContext: asker.encryptionContext,
          context: asker.context,
        };
        if (request.service === undefined) delete request.service;
        const full = evaluate(request);
        for (let i = 0; i < 2; i++) {
          const quick = allowedOrRefusal(request);
          if (full.decision === 'Allow') expect(quick).toBe(true);
          else expect(quick).toEqual(full);
        }
        compared++;
      }
    }
    expect(compared).toBe(cases.length ** 2);
  });
});

describe('evaluate: the decision record', () => {
  it('points at the deciding statement with its source location', () => {
    const text = `{
  "Version": "2012-10-17",
  "Statement": [
    { "Sid": "Use", "Effect": "Allow", "Principal": { "AWS": "${ALICE}" }, "Action": "kms:Decrypt", "Resource": "*" },
    { "Sid": "Block", "Effect": "Deny", "Principal": { "AWS": "${ALICE}" }, "Action": "kms:Decrypt", "Resource": "*" }
  ]
}`;
    const parsed = parsePolicy(text);
    if (!parsed.ok) throw new Error('does not parse');
    const d = evaluate({ ...requestFor({ name: '', doc: '', keyPolicy: defaultKeyPolicyDoc(), expect: 'Allow' }), keyPolicy: parsed.policy });
    expect(d.statements).toEqual([{ source: 'key-policy', policyIndex: 0, statementIndex: 1, sid: 'Block', effect: 'Deny', location: { line: 5, column: 5 } }]);
    expect(d.explanation).toBe(`Denied: statement "Block" in the key policy explicitly denies kms:Decrypt for ${ALICE}.`);
  });

  it('names the identity policy and statement that allowed', () => {
    const d = evaluate(requestFor({ name: '', doc: '', keyPolicy: defaultKeyPolicyDoc(), identity: [iamPolicy(iamAllow()), iamPolicy({ Sid: 'Second', ...iamAllow() })], expect: 'Allow' }));
    expect(d.statements.filter((s) => s.source === 'identity-policy').map((s) => [s.policyIndex, s.sid])).toEqual([
      [0, undefined],
      [1, 'Second'],
    ]);
    expect(d.explanation).toMatch(/lets account 111122223333 use IAM policies, and an IAM policy/);
  });

  it('explains an implicit deny with the key policy that did not allow', () => {
    const d = evaluate(requestFor({ name: '', doc: '', keyPolicy: keyPolicy(allowFor(BOB)), expect: 'ImplicitDeny' }));
    expect(d.explanation).toBe(`Denied: no statement in the key policy allows kms:Decrypt for ${ALICE}.`);
    expect(d.statements).toEqual([]);
  });

  it('explains a delegation without IAM permission and lists the delegating statement', () => {
    const d = evaluate(requestFor({ name: '', doc: '', keyPolicy: defaultKeyPolicyDoc(), expect: 'ImplicitDeny' }));
    expect(d.explanation).toMatch(/lets account 111122223333 use IAM policies, but no IAM policy allows kms:Decrypt/);
    expect(d.statements.map((s) => s.sid)).toEqual(['Enable IAM User Permissions']);
  });

  it('mentions the unmet condition of a statement that would otherwise allow', () => {
    const d = evaluate(
      requestFor({
        name: '',
        doc: '',
        keyPolicy: keyPolicy(allowFor(ALICE, 'kms:Decrypt', { Sid: 'ViaEc2', Condition: { StringEquals: { 'kms:ViaService': 'ec2.us-east-1.amazonaws.com' } } })),
        expect: 'ImplicitDeny',
      }),
    );
    expect(d.explanation).toMatch(/statement "ViaEc2" in the key policy would apply, but its condition StringEquals on kms:ViaService is not met/);
  });

  it('explains the cross-account requirement', () => {
    const d = evaluate(requestFor({ name: '', doc: '', keyPolicy: keyPolicy(allowFor(OTHER_ROOT)), principal: OTHER_USER, account: OTHER_ACCOUNT, expect: 'ImplicitDeny' }));
    expect(d.explanation).toMatch(/also needs an IAM policy in its own account/);
  });

  it('reports every path that allows: key policy and grant together', () => {
    const d = evaluate(requestFor({ name: '', doc: '', keyPolicy: keyPolicy(aliceMayDecrypt), grants: [{ grantId: 'g', granteePrincipal: ALICE, operations: ['Decrypt'] }], expect: 'Allow' }));
    expect(d.allowedBy).toEqual(['key-policy', 'grant']);
    expect(d.grantId).toBe('g');
  });

  it('lets caller-supplied context values override derived ones', () => {
    const d = evaluate(
      requestFor({
        name: '',
        doc: '',
        keyPolicy: keyPolicy(allowFor(ALICE, 'kms:Decrypt', { Condition: { StringEquals: { 'aws:PrincipalAccount': '999999999999' } } })),
        context: { 'AWS:PrincipalAccount': '999999999999' },
        expect: 'Allow',
      }),
    );
    expect(d.decision).toBe('Allow');
  });
});
