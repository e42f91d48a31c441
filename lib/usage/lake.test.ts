/**
 * CloudTrail Lake SQL (lib/usage/lake.ts): the text of every aggregation, checked clause by clause (no
 * snapshots), its escaping of hostile values, and the runner's polling and paging. No Lake runs here
 * (the emulator does not run Lake SQL): the runner tests use a fake CloudTrailClient transport that
 * scripts StartQuery / DescribeQuery / GetQueryResults answers — it checks the polling and paging logic
 * only, never whether Lake would accept the SQL.
 */
import { DescribeQueryCommand, GetQueryResultsCommand, StartQueryCommand, type CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { describe, expect, it } from 'vitest';
import type { UsageFilter } from './aggregate';
import { eventDataStoreId, eventDataStoreRegion, KEY_ARN, lakePageCharts, lakeSource, lakeSql, literal, PRINCIPAL, runLakeQuery, whereClause } from './lake';

const EDS = 'arn:aws:cloudtrail:us-east-1:111122223333:eventdatastore/EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE';
const ID = 'EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE';
// 2026-11-01 00:00 → 2026-11-08 00:00 UTC
const F: UsageFilter = { account: '111122223333', region: 'us-east-1', from: Date.UTC(2026, 10, 1) / 1000, to: Date.UTC(2026, 10, 8) / 1000 };

/** The SQL with every string literal replaced by '?': what is left is what Keydeck wrote, not a value. */
const skeleton = (sql: string) => sql.replace(/'(?:[^']|'')*'/g, "'?'");

function expectScope(sql: string) {
  expect(sql).toContain(`FROM ${ID}\n`);
  expect(sql).toContain("eventSource = 'kms.amazonaws.com'");
  expect(sql).toContain("recipientAccountId = '111122223333'");
  expect(sql).toContain("awsRegion = 'us-east-1'");
  expect(sql).toContain("eventTime >= '2026-11-01 00:00:00'");
  expect(sql).toContain("eventTime < '2026-11-08 00:00:00'");
  // Quotes balance: every literal closes.
  expect(skeleton(sql)).not.toContain("''?");
  expect((skeleton(sql).match(/'/g) ?? []).length % 2).toBe(0);
}

describe('the event data store', () => {
  it('is named by its id in FROM, from an ARN or the id itself', () => {
    expect(eventDataStoreId(EDS)).toBe(ID);
    expect(eventDataStoreId(ID)).toBe(ID);
    expect(eventDataStoreRegion(EDS)).toBe('us-east-1');
    expect(eventDataStoreRegion(ID)).toBeUndefined();
  });

  it('refuses anything else, so nothing can ride in on the table name', () => {
    for (const bad of ['x; DROP TABLE y', "abc' OR '1'='1", 'eds id', 'arn:aws:cloudtrail:us-east-1:111122223333:trail/t', '', 'ab']) {
      expect(() => eventDataStoreId(bad), bad).toThrow(/event data store must be its ARN/);
      expect(() => lakeSql.totals(bad, F), bad).toThrow(/event data store must be its ARN/);
    }
  });
});

describe('Lake SQL of each chart', () => {
  it('calls over time by operation: bucketed eventTime, eventName, count, grouped and ordered', () => {
    const sql = lakeSql.callsOverTime(EDS, F, 3600);
    expect(sql).toMatch(/^SELECT CAST\(floor\(to_unixtime\(eventTime\) \/ 3600\) \* 3600 AS bigint\) AS t, eventName AS series, count\(\*\) AS calls\n/);
    expectScope(sql);
    expect(sql).toMatch(/\nGROUP BY 1, 2\nORDER BY 1, 2$/);
    expect(sql).not.toContain('errorCode');
  });

  it('errors over time: only refused calls, one series per errorCode', () => {
    const sql = lakeSql.errorsOverTime(EDS, F, 86_400);
    expect(sql).toMatch(/^SELECT CAST\(floor\(to_unixtime\(eventTime\) \/ 86400\) \* 86400 AS bigint\) AS t, errorCode AS series, count\(\*\) AS calls\n/);
    expectScope(sql);
    expect(sql).toContain("AND COALESCE(errorCode, '') <> ''");
    // A chosen error code narrows it to that code instead.
    const one = lakeSql.errorsOverTime(EDS, { ...F, errorCode: 'AccessDenied' }, 3600);
    expect(one).toContain("AND errorCode = 'AccessDenied'");
    expect(one).not.toContain("COALESCE(errorCode, '') <> ''");
  });

  it('top keys: the KMS key among resources, calls and refused calls, busiest first, limited', () => {
    const sql = lakeSql.topKeys(EDS, F, 10);
    expect(sql).toContain(`SELECT ${KEY_ARN} AS name, count(*) AS calls, sum(CASE WHEN COALESCE(errorCode, '') <> '' THEN 1 ELSE 0 END) AS errors\n`);
    expect(KEY_ARN).toBe("COALESCE(element_at(filter(resources, r -> r.type = 'AWS::KMS::Key'), 1).arn, '')");
    expectScope(sql);
    expect(sql).toMatch(/\nGROUP BY 1\nORDER BY calls DESC, name\nLIMIT 10$/);
  });

  it('top callers: an assumed role by its role ARN (sessionIssuer), a service by invokedBy, else userIdentity.arn', () => {
    const sql = lakeSql.topCallers(EDS, F, 5);
    expect(sql).toContain(`SELECT ${PRINCIPAL} AS name`);
    expect(PRINCIPAL).toContain("WHEN userIdentity.type = 'AssumedRole' AND userIdentity.sessionContext.sessionIssuer.arn IS NOT NULL THEN userIdentity.sessionContext.sessionIssuer.arn");
    expect(PRINCIPAL).toContain("WHEN userIdentity.type = 'AWSService' AND userIdentity.invokedBy IS NOT NULL THEN userIdentity.invokedBy");
    expect(PRINCIPAL).toContain("ELSE COALESCE(userIdentity.arn, userIdentity.invokedBy, 'unknown') END");
    expectScope(sql);
    expect(sql).toMatch(/\nLIMIT 5$/);
  });

  it('top operations and user agents group by eventName and userAgent', () => {
    expect(lakeSql.topOperations(EDS, F, 20)).toMatch(/^SELECT eventName AS name, count\(\*\) AS calls/);
    expect(lakeSql.userAgents(EDS, F)).toMatch(/^SELECT COALESCE\(userAgent, ''\) AS name, count\(\*\) AS calls/);
    expect(lakeSql.userAgents(EDS, F)).toMatch(/\nLIMIT 1000$/);
  });

  it('peak per second: per-second counts in a subquery, the max per bucket and quota class, no chart filters', () => {
    const sql = lakeSql.peaks(EDS, { ...F, keyArn: 'k', hideKeydeck: true } as UsageFilter, 3600);
    expect(sql).toMatch(/^SELECT t, quotaClass, max\(calls\) AS peak\nFROM \(\n {2}SELECT CAST\(floor\(to_unixtime\(eventTime\) \/ 3600\) \* 3600 AS bigint\) AS t, CASE WHEN eventName LIKE 'GenerateDataKeyPair%'/);
    expect(sql).toContain('CAST(floor(to_unixtime(eventTime) / 1) * 1 AS bigint) AS second, count(*) AS calls');
    expect(sql).toContain("WHEN eventName IN ('Decrypt', 'Encrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'GenerateMac', 'GenerateRandom', 'ReEncrypt', 'VerifyMac') THEN 'symmetric' ELSE 'other' END AS quotaClass");
    expect(sql).toContain("element_at(requestParameters, 'signingAlgorithm')");
    expectScope(sql);
    // Quotas are shared by the whole account-Region: the key and Keydeck filters do not apply.
    expect(sql).not.toContain('AWS::KMS::Key');
    expect(sql).not.toContain('keydeck');
    expect(sql).toMatch(/\n {2}GROUP BY 1, 2, 3\n\) s\nGROUP BY 1, 2\nORDER BY 1, 2$/);
  });

  it('cost inputs: successful calls per UTC day, Region, key and request class across Regions', () => {
    const sql = lakeSql.dailyBilled(EDS, '111122223333', ['us-east-1', 'eu-west-1'], F.from, F.to);
    expect(sql).toMatch(/^SELECT date_format\(eventTime, '%Y-%m-%d'\) AS day, awsRegion AS region, COALESCE\(element_at\(filter\(resources/);
    expect(sql).toContain("CASE WHEN eventName LIKE 'GenerateDataKeyPair%' THEN (CASE WHEN COALESCE(element_at(requestParameters, 'keyPairSpec'), '') LIKE 'RSA%' THEN 'gdkp-rsa' ELSE 'gdkp-ecc' END)");
    expect(sql).toContain(" THEN 'asymmetric' ELSE 'symmetric' END AS requestClass, count(*) AS calls\n");
    expect(sql).toContain("awsRegion IN ('us-east-1', 'eu-west-1')");
    expect(sql).toContain("NOT (COALESCE(errorCode, '') <> '')");
    expect(sql).toMatch(/\nGROUP BY 1, 2, 3, 4$/);
    // 'priced': the key only where its spec sets the price.
    expect(lakeSql.dailyBilled(EDS, '111122223333', ['us-east-1'], F.from, F.to, { keys: 'priced' })).toContain(`= 'asymmetric' THEN ${KEY_ARN} ELSE '' END AS keyArn`);
    expect(() => lakeSql.dailyBilled(EDS, '111122223333', [], F.from, F.to)).toThrow('At least one Region is needed.');
    // Per API and per caller (priced keys), for the cost per API and per caller.
    const byApi = lakeSql.dailyBilled(EDS, '111122223333', ['us-east-1'], F.from, F.to, { by: 'api' });
    expect(byApi).toContain(`= 'asymmetric' THEN ${KEY_ARN} ELSE '' END AS keyArn`);
    expect(byApi).toContain(' AS requestClass, eventName AS name, count(*) AS calls\n');
    expect(byApi).toMatch(/\nGROUP BY 1, 2, 3, 4, 5$/);
    expect(lakeSql.dailyBilled(EDS, '111122223333', ['us-east-1'], F.from, F.to, { by: 'caller' })).toContain(" THEN userIdentity.invokedBy ELSE COALESCE(userIdentity.arn, userIdentity.invokedBy, 'unknown') END) AS name, count(*)");
    expect(() => lakeSql.dailyBilled(EDS, '111122223333', ['us-east-1'], F.from, F.to, { by: 'api', keyArn: 'k' })).toThrow('The cost per API or caller is for the whole account, not for one key.');
  });

  it('applies every filter: key, operation, caller, any error, Keydeck hidden', () => {
    const where = whereClause({ ...F, keyArn: 'arn:aws:kms:us-east-1:111122223333:key/k', eventName: 'Decrypt', principal: 'arn:aws:iam::111122223333:role/app', errorCode: '*', hideKeydeck: true });
    expect(where).toContain(`${KEY_ARN} = 'arn:aws:kms:us-east-1:111122223333:key/k'`);
    expect(where).toContain("eventName = 'Decrypt'");
    expect(where).toContain(`(${PRINCIPAL}) = 'arn:aws:iam::111122223333:role/app'`);
    expect(where).toContain("COALESCE(errorCode, '') <> ''");
    expect(where).toContain("NOT (lower(COALESCE(userAgent, '')) LIKE '%keydeck%')");
    expect(where.split('\n  AND ')).toHaveLength(10);
  });
});

describe('escaping', () => {
  const HOSTILE = "x' OR '1'='1' --";

  it('doubles single quotes, so a value stays one literal', () => {
    expect(literal("O'Brien")).toBe("'O''Brien'");
    expect(literal(HOSTILE)).toBe("'x'' OR ''1''=''1'' --'");
    expect(() => literal('a\0b')).toThrow('NUL');
  });

  it('keeps hostile filter values inside their literals in every query', () => {
    const queries = (v: string) => {
      const f: UsageFilter = { ...F, account: v, region: v, keyArn: v, eventName: v, principal: v, errorCode: v };
      return [
        lakeSql.callsOverTime(EDS, f, 3600),
        lakeSql.errorsOverTime(EDS, f, 3600),
        lakeSql.topKeys(EDS, f, 10),
        lakeSql.topCallers(EDS, f, 10),
        lakeSql.topOperations(EDS, f, 10),
        lakeSql.userAgents(EDS, f),
        lakeSql.totals(EDS, f),
        lakeSql.peaks(EDS, f, 3600),
        lakeSql.dailyBilled(EDS, v, [v], F.from, F.to, { keyArn: v }),
      ];
    };
    const benign = queries('plain');
    const hostile = queries(HOSTILE);
    hostile.forEach((sql, i) => {
      // With every literal blanked, the hostile query is the benign one: the value never became SQL.
      expect(skeleton(sql), sql).toBe(skeleton(benign[i]));
      expect(sql).toContain("'x'' OR ''1''=''1'' --'");
      expect(skeleton(sql)).not.toContain('--');
    });
  });

  it('refuses non-integer numbers where SQL takes numbers', () => {
    expect(() => lakeSql.callsOverTime(EDS, F, 3600.5)).toThrow('Not an integer');
    expect(() => lakeSql.topKeys(EDS, F, Number.NaN)).toThrow('Not an integer');
    expect(() => lakeSql.totals(EDS, { ...F, from: 1.5 })).toThrow('Not an integer');
  });
});

/** A CloudTrailClient whose transport is a script: it records the commands and answers from `answer`. */
function fakeClient(answer: (command: unknown, sent: unknown[]) => unknown) {
  const sent: unknown[] = [];
  const client = {
    send: async (command: unknown) => {
      sent.push(command);
      return answer(command, sent);
    },
  } as unknown as CloudTrailClient;
  return { client, sent };
}

const row = (o: Record<string, string>) => Object.entries(o).map(([k, v]) => ({ [k]: v }));

describe('runLakeQuery (fake transport: polling and paging only)', () => {
  it('starts the query, polls DescribeQuery until FINISHED, and reads every results page', async () => {
    let polls = 0;
    const sleeps: number[] = [];
    const { client, sent } = fakeClient((c) => {
      if (c instanceof StartQueryCommand) return { QueryId: 'q-1' };
      if (c instanceof DescribeQueryCommand) return { QueryStatus: ['QUEUED', 'RUNNING', 'FINISHED'][polls++], QueryStatistics: { BytesScanned: 1234 } };
      if (c instanceof GetQueryResultsCommand) {
        if (!c.input.NextToken) return { QueryResultRows: [row({ name: 'a', calls: '3' }), row({ name: 'b', calls: '2' })], NextToken: 'p2' };
        if (c.input.NextToken === 'p2') return { QueryResultRows: [row({ name: 'c', calls: '1' })], NextToken: 'p3' };
        return { QueryResultRows: [] };
      }
      throw new Error('unexpected command');
    });
    const result = await runLakeQuery(client, 'SELECT 1', { pollMs: 250, sleep: async (ms) => void sleeps.push(ms) });
    expect(result).toEqual({ rows: [{ name: 'a', calls: '3' }, { name: 'b', calls: '2' }, { name: 'c', calls: '1' }], bytesScanned: 1234 });
    expect(sleeps).toEqual([250, 250]);
    expect((sent[0] as StartQueryCommand).input).toEqual({ QueryStatement: 'SELECT 1' });
    expect(sent.filter((c) => c instanceof GetQueryResultsCommand).map((c) => (c as GetQueryResultsCommand).input)).toEqual([
      { QueryId: 'q-1', NextToken: undefined, MaxQueryResults: 1000 },
      { QueryId: 'q-1', NextToken: 'p2', MaxQueryResults: 1000 },
      { QueryId: 'q-1', NextToken: 'p3', MaxQueryResults: 1000 },
    ]);
  });

  it('reports a failed query with Lake’s message, and gives up after maxWaitMs', async () => {
    const failed = fakeClient((c) => (c instanceof StartQueryCommand ? { QueryId: 'q-2' } : { QueryStatus: 'FAILED', ErrorMessage: 'Column xyz cannot be resolved' }));
    await expect(runLakeQuery(failed.client, 'SELECT xyz', { sleep: async () => {} })).rejects.toThrow('CloudTrail Lake query q-2 FAILED: Column xyz cannot be resolved');
    const slow = fakeClient((c) => (c instanceof StartQueryCommand ? { QueryId: 'q-3' } : { QueryStatus: 'RUNNING' }));
    await expect(runLakeQuery(slow.client, 'SELECT 1', { maxWaitMs: 0, sleep: async () => {} })).rejects.toMatchObject({ name: 'LakeQueryTimeout' });
  });

  it('maps rows to the store path’s types: user agents into families, numbers from strings', async () => {
    const { client } = fakeClient((c) => {
      if (c instanceof StartQueryCommand) return { QueryId: c.input.QueryStatement!.slice(0, 40) };
      if (c instanceof DescribeQueryCommand) return { QueryStatus: 'FINISHED' };
      const q = (c as GetQueryResultsCommand).input.QueryId!;
      if (q.startsWith("SELECT COALESCE(userAgent, '')"))
        return { QueryResultRows: [row({ name: 'aws-sdk-js/3.9 ua/2.1 keydeck/0.1.0', calls: '7', errors: '0' }), row({ name: 'aws-cli/2.15', calls: '2', errors: '1' }), row({ name: 'keydeck/0.1.0 other', calls: '1', errors: '0' })] };
      if (q.startsWith('SELECT count(*) AS calls')) return { QueryResultRows: [row({ calls: '10', errors: '1' })] };
      if (q.startsWith('SELECT t, quotaClass')) return { QueryResultRows: [row({ t: '1761955200', quotaClass: 'symmetric', peak: '4' })] };
      if (q.startsWith('SELECT date_format')) return { QueryResultRows: [row({ day: '2026-11-01', region: 'us-east-1', keyArn: 'k', requestClass: 'symmetric', calls: '5' })] };
      if (q.startsWith('SELECT CAST')) return { QueryResultRows: [row({ t: '1761955200', series: 'Encrypt', calls: '3' }), row({ t: '1761958800', series: 'Decrypt', calls: '0' })] };
      return { QueryResultRows: [row({ name: 'x', calls: '2', errors: '1' })] };
    });
    const lake = lakeSource(client, EDS, { sleep: async () => {} });
    expect(await lake.topAgents(F)).toEqual([
      { name: 'keydeck', calls: 8, errors: 0 },
      { name: 'aws-cli', calls: 2, errors: 1 },
    ]);
    expect(await lake.dailyBilled('111122223333', ['us-east-1'], F.from, F.to)).toEqual([{ day: '2026-11-01', region: 'us-east-1', keyArn: 'k', eventName: '', principal: '', requestClass: 'symmetric', calls: 5 }]);
    const charts = await lakePageCharts(lake, F, 3600);
    expect(charts.totals).toEqual({ calls: 10, errors: 1 });
    expect(charts.callsOverTime).toEqual([{ t: 1761955200, series: 'Encrypt', calls: 3 }]);
    expect(charts.peaks).toEqual([{ t: 1761955200, quotaClass: 'symmetric', peak: 4 }]);
    expect(charts.topKeys).toEqual([{ name: 'x', calls: 2, errors: 1 }]);
  });
});
