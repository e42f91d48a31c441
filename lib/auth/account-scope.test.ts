import { describe, expect, it } from 'vitest';
import { accountAllowed, accountRefusalMessage, homeAccount, scopedPagePath } from './account-scope';

const everyone = { accounts: null };
const team = { name: 'Tess', accounts: ['dev', 'staging'] };
const CONFIGURED = ['prod', 'dev', 'staging'];

describe('per-account scoping', () => {
  it('lets an unscoped user everywhere and a scoped one only in their accounts', () => {
    expect(accountAllowed(everyone, 'prod')).toBe(true);
    expect(accountAllowed(team, 'dev')).toBe(true);
    expect(accountAllowed(team, 'prod')).toBe(false);
    expect(accountRefusalMessage(team, 'prod')).toBe('Tess may work only in the accounts dev, staging, not in prod.');
  });

  it('lands a scoped user in the first of their accounts when the default is not one', () => {
    expect(homeAccount(team, 'prod', CONFIGURED)).toBe('dev');
    expect(homeAccount({ accounts: ['staging', 'prod'] }, 'prod', CONFIGURED)).toBe('prod');
    expect(homeAccount({ accounts: ['gone'] }, 'prod', CONFIGURED)).toBeNull();
  });

  it('sends a page for another account to the same page in the user’s own, keeping the rest of the query', () => {
    expect(scopedPagePath(everyone, '/keys?account=prod', 'prod', CONFIGURED)).toBeNull();
    expect(scopedPagePath(team, '/keys?account=dev&region=eu-west-1', 'prod', CONFIGURED)).toBeNull();
    expect(scopedPagePath(team, '/keys?account=prod&region=eu-west-1', 'prod', CONFIGURED)).toBe('/keys?account=dev&region=eu-west-1');
    expect(scopedPagePath(team, '/keys/1234?region=us-east-1', 'prod', CONFIGURED)).toBe('/keys/1234?region=us-east-1&account=dev');
    // No home account at all: nowhere to send them; the layout refuses the page instead.
    expect(scopedPagePath({ accounts: ['gone'] }, '/usage', 'prod', CONFIGURED)).toBeNull();
  });
});
