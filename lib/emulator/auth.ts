/**
 * Who is calling: the access key and region from the SigV4 Authorization header's credential scope.
 * Signature verification and IAM identities arrive with the access-control work; until then every
 * known access key acts as its account's administrator.
 */
import { MissingAuthenticationTokenException, UnrecognizedClientException } from './errors';

export interface AccountCredentials {
  accountId: string;
  accessKeyId: string;
  secretAccessKey: string;
}

export const DEFAULT_ACCOUNT = '111122223333';
export const DEFAULT_REGION = 'us-east-1';
/** The LocalStack convention: access key `test`, secret `test`. */
export const DEFAULT_CREDENTIALS: AccountCredentials[] = [{ accountId: DEFAULT_ACCOUNT, accessKeyId: 'test', secretAccessKey: 'test' }];

const CREDENTIAL = /Credential=([^/,\s]+)\/\d{8}\/([a-z0-9-]+)\/kms\/aws4_request/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

export interface Caller {
  accountId: string;
  accessKeyId: string;
  region: string;
}

export function identify(authorization: string | null, accounts: ReadonlyMap<string, AccountCredentials>): Caller {
  if (!authorization) throw new MissingAuthenticationTokenException('Missing Authentication Token');
  const m = CREDENTIAL.exec(authorization);
  if (!m) throw new MissingAuthenticationTokenException(`Authorization header requires a SigV4 'Credential' for service 'kms'.`);
  const [, accessKeyId, region] = m;
  const account = accounts.get(accessKeyId);
  if (!account) throw new UnrecognizedClientException('The security token included in the request is invalid.');
  if (!REGION.test(region)) throw new UnrecognizedClientException(`The region '${region}' in the credential scope is not a valid AWS Region.`);
  return { accountId: account.accountId, accessKeyId, region };
}
