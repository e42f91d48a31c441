import { describe, expect, it } from 'vitest';
import { Decoder, decodeRequest, decodeResponse, Encoder, encodeRequest, encodeResponse, type WorkerRequest, type WorkerResponse } from './worker-protocol';

describe('the worker message framing', () => {
  it('round-trips batches of requests exactly, whatever their text holds', () => {
    const requests: WorkerRequest[] = [
      { id: 0, method: 'POST', path: '/', sourceIp: '127.0.0.1', headers: { 'x-amz-target': 'TrentService.Encrypt', authorization: 'AWS4-HMAC-SHA256 Credential=test/20261123/us-east-1/kms/aws4_request, SignedHeaders=host, Signature=ab' }, body: '{"KeyId":"alias/x","Plaintext":"AA=="}' },
      { id: 1, method: 'POST', path: '/?a=1:2', sourceIp: undefined, headers: { 'user-agent': '' }, body: '' },
      { id: 2, method: 'POST', path: '/', headers: { 'content-type': 'application/x-amz-json-1.1' }, body: '{"KeyId":"12:34\\n-\n5:x","Context":"ünïcødé ✓ 𝄞"}' },
    ];
    const out = new Encoder();
    for (const r of requests) encodeRequest(out, r);
    const input = new Decoder(out.text);
    const back: WorkerRequest[] = [];
    while (!input.done) back.push(decodeRequest(input));
    expect(back).toEqual(requests);
  });

  it('round-trips responses with their log entry, key usage and CloudTrail events', () => {
    const responses: WorkerResponse[] = [
      {
        id: 7,
        status: 200,
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'r-1' },
        body: '{"CiphertextBlob":"AQID","KeyId":"arn:aws:kms:us-east-1:111122223333:key/k"}',
        log: { operation: 'Encrypt', region: 'us-east-1', keyId: 'alias/with:colon\nand newline', status: 200, errorCode: undefined, ms: 0.123456789 },
        usage: [['arn:aws:kms:us-east-1:111122223333:key/k', { operation: 'Encrypt', at: 1_790_000_000_123, requestId: 'r-1' }]],
        events: [
          {
            account: '111122223333',
            region: 'us-east-1',
            time: 1_790_000_000_123,
            eventId: 'e-1',
            eventName: 'Encrypt',
            eventSource: 'kms.amazonaws.com',
            readOnly: true,
            accessKeyId: 'test',
            username: 'admin',
            resources: [{ ResourceType: 'AWS::KMS::Key', ResourceName: 'arn:aws:kms:us-east-1:111122223333:key/k' }],
            json: '{"eventVersion":"1.11","requestParameters":{"encryptionContext":{"a:b":"c\\nd"}}}',
          },
        ],
      },
      { id: 8, status: 400, headers: { 'x-amzn-errortype': 'NotFoundException' }, body: '{"__type":"NotFoundException","message":"Key \'ü\' does not exist"}', usage: [], events: [] },
    ];
    const out = new Encoder();
    for (const r of responses) encodeResponse(out, r);
    // What the main thread keeps travels as strings of their own, never as part of the batch text (which holds bodies).
    expect(out.kept).toContain(responses[0].events[0].json);
    expect(out.text).not.toContain(responses[0].events[0].json);
    const input = new Decoder(out.text, [...out.kept]);
    const back: WorkerResponse[] = [];
    while (!input.done) back.push(decodeResponse(input));
    expect(back).toEqual(responses);
  });

  it('refuses a torn frame instead of misreading it', () => {
    const out = new Encoder().str('abc');
    expect(() => new Decoder('x' + out.text).str()).toThrow(/malformed/);
    expect(() => new Decoder('-').req()).toThrow(/missing/);
  });
});
