import { afterEach, describe, expect, it, vi } from 'vitest';
import { startupProblems } from './startup-check';

describe('startupProblems', () => {
  it('finds nothing wrong with an empty environment (demo mode, no OIDC)', () => {
    expect(startupProblems({})).toEqual([]);
  });

  it('names each invalid variable of the console and of OIDC sign-in', () => {
    const problems = startupProblems({ KEYDECK_MODE: 'prod', KEYDECK_OIDC_ISSUER: 'https://login.example.com', KEYDECK_OIDC_CLIENT_ID: 'keydeck', KEYDECK_OIDC_ROLE_MAP: 'ops=root' });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^Invalid Keydeck configuration: KEYDECK_MODE /);
    expect(problems[1]).toContain("maps 'ops' to 'root', which is not one of viewer, operator, admin");
  });

  it('refuses an OIDC issuer without a client id or any role mapping', () => {
    const [problem] = startupProblems({ KEYDECK_OIDC_ISSUER: 'https://login.example.com' });
    expect(problem).toContain('KEYDECK_OIDC_CLIENT_ID must be set');
    expect(problem).toContain('KEYDECK_OIDC_ROLE_MAP must map at least one group');
  });

  it('never echoes a secret value it rejects', () => {
    const secret = 'short-secret-value';
    const problems = startupProblems({ KEYDECK_SESSION_SECRET: secret, KEYDECK_OIDC_ISSUER: 'https://login.example.com', KEYDECK_OIDC_CLIENT_ID: 'k', KEYDECK_OIDC_DEFAULT_ROLE: 'viewer' });
    expect(problems.join('\n')).toContain('KEYDECK_SESSION_SECRET must be at least 32 characters');
    expect(problems.join('\n')).not.toContain(secret);
  });
});

describe('instrumentation register()', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    vi.restoreAllMocks();
  });

  it('stops the server with exit code 1 and the reasons when the configuration is invalid', async () => {
    process.env = { ...saved, NEXT_RUNTIME: 'nodejs', KEYDECK_OIDC_ISSUER: 'ftp://login.example.com', KEYDECK_INVENTORY_WARMUP: 'off', KEYDECK_USAGE_SYNC: 'off' };
    const exit = vi.spyOn(process, 'exit').mockImplementation((code) => {
      throw new Error(`exit ${String(code)}`);
    });
    const logged: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void logged.push(args.join(' ')));
    const { register } = await import('../instrumentation');
    await expect(register()).rejects.toThrow('exit 1');
    expect(exit).toHaveBeenCalledWith(1);
    expect(logged.join('\n')).toMatch(/keydeck: cannot start: .*KEYDECK_OIDC_ISSUER must use https/);
  });
});
