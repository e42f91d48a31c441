/**
 * The user agent suffix of every AWS SDK client the console makes: CloudTrail records it in each event's
 * `userAgent`, and lib/usage/event.ts's userAgentFamily files those calls as 'keydeck', so the usage
 * charts can leave the console's own reads (inventory DescribeKey …) out.
 */
import packageJson from '../../package.json';

export const KEYDECK_USER_AGENT = `keydeck/${packageJson.version}`;
