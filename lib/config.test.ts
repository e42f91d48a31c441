import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from './config';

describe('parseConfig', () => {
  it('defaults to demo mode in us-east-1 with data in ./.keydeck', () => {
    expect(parseConfig({}, '/srv/keydeck')).toEqual({ mode: 'demo', dataDir: '/srv/keydeck/.keydeck', region: 'us-east-1' });
  });

  it('reads aws mode, the region and an absolute data dir', () => {
    const config = parseConfig({ KEYDECK_MODE: 'aws', AWS_REGION: 'eu-west-3', KEYDECK_DATA_DIR: '/var/lib/keydeck' });
    expect(config).toEqual({ mode: 'aws', dataDir: '/var/lib/keydeck', region: 'eu-west-3' });
  });

  it('resolves a relative data dir against the working directory', () => {
    expect(parseConfig({ KEYDECK_DATA_DIR: 'state' }, '/srv/keydeck').dataDir).toBe(path.join('/srv/keydeck', 'state'));
  });

  it('treats empty variables as unset', () => {
    expect(parseConfig({ KEYDECK_MODE: '', AWS_REGION: '', KEYDECK_DATA_DIR: '' }, '/x')).toEqual({
      mode: 'demo',
      dataDir: '/x/.keydeck',
      region: 'us-east-1',
    });
  });

  it('rejects an unknown mode with a message naming KEYDECK_MODE', () => {
    expect(() => parseConfig({ KEYDECK_MODE: 'prod' })).toThrow(/KEYDECK_MODE must be 'demo' or 'aws', not 'prod'/);
  });

  it('rejects a malformed region with a message naming AWS_REGION', () => {
    expect(() => parseConfig({ AWS_REGION: 'US East' })).toThrow(/AWS_REGION must be an AWS Region/);
  });

  it('names every invalid variable at once', () => {
    expect(() => parseConfig({ KEYDECK_MODE: 'x', AWS_REGION: 'y' })).toThrow(/KEYDECK_MODE.*AWS_REGION/);
  });
});
