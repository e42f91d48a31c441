import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from './config';

const PARTNER_ROLE = 'arn:aws:iam::444455556666:role/keydeck-console';

describe('parseConfig', () => {
  it('defaults to demo mode in us-east-1 with data in ./.keydeck and one default account', () => {
    expect(parseConfig({}, '/srv/keydeck')).toEqual({
      mode: 'demo',
      dataDir: '/srv/keydeck/.keydeck',
      region: 'us-east-1',
      regions: ['us-east-1'],
      accounts: [{ name: 'default' }],
      session: { idleSeconds: 30 * 60, absoluteSeconds: 12 * 3600 },
      allowedOrigins: [],
      trustProxy: false,
    });
  });

  it('reads aws mode, the region and an absolute data dir', () => {
    const config = parseConfig({ KEYDECK_MODE: 'aws', AWS_REGION: 'eu-west-3', KEYDECK_DATA_DIR: '/var/lib/keydeck' });
    expect(config).toMatchObject({ mode: 'aws', dataDir: '/var/lib/keydeck', region: 'eu-west-3', regions: ['eu-west-3'] });
  });

  it('resolves a relative data dir against the working directory', () => {
    expect(parseConfig({ KEYDECK_DATA_DIR: 'state' }, '/srv/keydeck').dataDir).toBe(path.join('/srv/keydeck', 'state'));
  });

  it('treats empty variables as unset', () => {
    expect(parseConfig({ KEYDECK_MODE: '', AWS_REGION: '', KEYDECK_DATA_DIR: '', KEYDECK_REGIONS: ' ', KEYDECK_ACCOUNTS: '' }, '/x')).toEqual({
      mode: 'demo',
      dataDir: '/x/.keydeck',
      region: 'us-east-1',
      regions: ['us-east-1'],
      accounts: [{ name: 'default' }],
      session: { idleSeconds: 30 * 60, absoluteSeconds: 12 * 3600 },
      allowedOrigins: [],
      trustProxy: false,
    });
  });

  it('reads the session timeouts and refuses nonsense', () => {
    expect(parseConfig({ KEYDECK_SESSION_IDLE_MINUTES: '15', KEYDECK_SESSION_MAX_HOURS: '8' }).session).toEqual({ idleSeconds: 900, absoluteSeconds: 28_800 });
    expect(() => parseConfig({ KEYDECK_SESSION_IDLE_MINUTES: 'soon' })).toThrow(/KEYDECK_SESSION_IDLE_MINUTES/);
    expect(() => parseConfig({ KEYDECK_SESSION_MAX_HOURS: '0' })).toThrow(/KEYDECK_SESSION_MAX_HOURS/);
  });

  it('rejects an unknown mode with a message naming KEYDECK_MODE', () => {
    expect(() => parseConfig({ KEYDECK_MODE: 'prod' })).toThrow(/KEYDECK_MODE must be 'demo' or 'aws', not 'prod'/);
  });

  it('rejects a malformed region with a message naming AWS_REGION', () => {
    expect(() => parseConfig({ AWS_REGION: 'US East' })).toThrow(/AWS_REGION must be an AWS Region/);
  });

  it('names every invalid variable at once', () => {
    expect(() => parseConfig({ KEYDECK_MODE: 'x', AWS_REGION: 'y', KEYDECK_REGIONS: 'z', KEYDECK_ACCOUNTS: 'w' })).toThrow(
      /KEYDECK_MODE.*AWS_REGION.*KEYDECK_REGIONS.*KEYDECK_ACCOUNTS/,
    );
  });
});

describe('KEYDECK_REGIONS', () => {
  it('lists the regions in order, without repeats, and opens in the first', () => {
    expect(parseConfig({ KEYDECK_REGIONS: 'eu-west-1, us-east-2,eu-west-1,' })).toMatchObject({ region: 'eu-west-1', regions: ['eu-west-1', 'us-east-2'] });
  });

  it('opens in AWS_REGION, listed first when KEYDECK_REGIONS lacks it', () => {
    expect(parseConfig({ AWS_REGION: 'us-east-2', KEYDECK_REGIONS: 'eu-west-1,us-east-2' })).toMatchObject({ region: 'us-east-2', regions: ['eu-west-1', 'us-east-2'] });
    expect(parseConfig({ AWS_REGION: 'ap-south-1', KEYDECK_REGIONS: 'eu-west-1' })).toMatchObject({ region: 'ap-south-1', regions: ['ap-south-1', 'eu-west-1'] });
  });

  it('names the variable and the bad region', () => {
    expect(() => parseConfig({ KEYDECK_REGIONS: 'us-east-1,Frankfurt' })).toThrow(
      "Invalid Keydeck configuration: KEYDECK_REGIONS must list AWS Regions such as 'us-east-1,eu-west-1'; 'Frankfurt' is not one",
    );
  });
});

describe('KEYDECK_ACCOUNTS (name=accountId[:roleArn],…)', () => {
  it('reads accounts with and without a role to assume, the first being the default', () => {
    expect(parseConfig({ KEYDECK_ACCOUNTS: `main=111122223333, partner=444455556666:${PARTNER_ROLE}` }).accounts).toEqual([
      { name: 'main', accountId: '111122223333' },
      { name: 'partner', accountId: '444455556666', roleArn: PARTNER_ROLE },
    ]);
  });

  it('accepts role paths and other partitions', () => {
    const role = 'arn:aws-us-gov:iam::444455556666:role/ops/keydeck';
    expect(parseConfig({ KEYDECK_ACCOUNTS: `gov=444455556666:${role}` }).accounts).toEqual([{ name: 'gov', accountId: '444455556666', roleArn: role }]);
  });

  it.each([
    ['main', "entry 1 ('main') must look like name=123456789012"],
    ['main=1234', "entry 1 ('main=1234') needs a 12-digit account id"],
    ['main=111122223333x', "entry 1 ('main=111122223333x') needs a 12-digit account id"],
    ['=111122223333', "entry 1 ('=111122223333') needs a name"],
    ['a=111122223333,b=444455556666:arn:aws:iam::444455556666:user/bob', "entry 2 ('b=444455556666:arn:aws:iam::444455556666:user/bob') has 'arn:aws:iam::444455556666:user/bob' where an IAM role ARN"],
    [`p=111122223333:${PARTNER_ROLE}`, `entry 1 ('p=111122223333:${PARTNER_ROLE}') names role ${PARTNER_ROLE} of account 444455556666, not of account 111122223333`],
    ['a=111122223333,a=444455556666', "entry 2 ('a=444455556666') repeats the name 'a'"],
  ])('rejects %s with a message naming KEYDECK_ACCOUNTS', (value, message) => {
    expect(() => parseConfig({ KEYDECK_ACCOUNTS: value })).toThrow(`KEYDECK_ACCOUNTS ${message}`);
  });
});

describe('KEYDECK_ALLOWED_ORIGINS and KEYDECK_TRUST_PROXY', () => {
  it('reads origins without a trailing slash and the proxy trust flag', () => {
    const config = parseConfig({ KEYDECK_ALLOWED_ORIGINS: 'https://kms.example.com/, http://10.0.0.5:8080', KEYDECK_TRUST_PROXY: 'true' });
    expect(config.allowedOrigins).toEqual(['https://kms.example.com', 'http://10.0.0.5:8080']);
    expect(config.trustProxy).toBe(true);
  });

  it('rejects a host name or a URL with a path, naming the variable', () => {
    expect(() => parseConfig({ KEYDECK_ALLOWED_ORIGINS: 'kms.example.com' })).toThrow(/KEYDECK_ALLOWED_ORIGINS must list origins .* 'kms.example.com' is not one/);
    expect(() => parseConfig({ KEYDECK_ALLOWED_ORIGINS: 'https://kms.example.com/console' })).toThrow(/KEYDECK_ALLOWED_ORIGINS/);
    expect(() => parseConfig({ KEYDECK_TRUST_PROXY: 'yes' })).toThrow(/KEYDECK_TRUST_PROXY must be 'true' or 'false'/);
  });
});
