/**
 * `npm run users -- <command>`: local accounts in Keydeck's store (the same KEYDECK_DATA_DIR or
 * KEYDECK_DATABASE_URL as the console). In aws mode the first admin is made here.
 *
 *   add <name> --role admin|operator|viewer [--email e] [--accounts a,b]
 *   list
 *   set-role <name> --role admin|operator|viewer
 *   unlock <name>
 *   reset-password <name>
 *   remove <name>
 *
 * Passwords come from KEYDECK_NEW_PASSWORD or a hidden prompt, never from an argument (arguments show
 * up in `ps` and shell history).
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { getConfig } from '../lib/config';
import { addLocalUser, listLocalUsers, LocalAccountError, passwordProblem, removeLocalUser, resetLocalPassword, setLocalUserRole, unlockLocalUser } from '../lib/auth/local-accounts';
import { ROLES, type Role } from '../lib/auth/roles';
import { openStore } from '../lib/store/open';

const USAGE = `Usage: npm run users -- <command>
  add <name> --role admin|operator|viewer [--email e] [--accounts a,b]
  list
  set-role <name> --role admin|operator|viewer
  unlock <name>
  reset-password <name>
  remove <name>
The password of add and reset-password comes from KEYDECK_NEW_PASSWORD, or is asked for (hidden).`;

class UsageError extends Error {}

const now = () => Math.floor(Date.now() / 1000);

function roleOf(value: string | undefined): Role {
  const parsed = z.enum(ROLES).safeParse(value);
  if (!parsed.success) throw new UsageError('--role must be admin, operator or viewer.');
  return parsed.data;
}

/** Reads a line from the terminal without echoing it. */
async function promptHidden(question: string): Promise<string> {
  const { stdin, stderr } = process;
  if (!stdin.isTTY) {
    // Piped input (a script): the first line.
    let text = '';
    for await (const chunk of stdin) {
      text += String(chunk);
      if (text.includes('\n')) break;
    }
    return text.split(/\r?\n/)[0];
  }
  stderr.write(question);
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let answer = '';
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          stderr.write('\n');
          return resolve(answer);
        }
        if (ch === '\u0003') {
          stdin.setRawMode(false);
          return reject(new UsageError('Cancelled.'));
        }
        if (ch === '\u007f' || ch === '\b') answer = answer.slice(0, -1);
        else answer += ch;
      }
    };
    stdin.on('data', onData);
  });
}

async function newPassword(): Promise<string> {
  const fromEnv = process.env.KEYDECK_NEW_PASSWORD;
  if (fromEnv) return fromEnv;
  const first = await promptHidden('New password: ');
  const problem = passwordProblem(first);
  if (problem) throw new UsageError(problem);
  if (process.stdin.isTTY && (await promptHidden('Repeat it: ')) !== first) throw new UsageError('The passwords differ.');
  return first;
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { role: { type: 'string' }, email: { type: 'string' }, accounts: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const [command, name, ...extra] = positionals;
  if (values.help || !command) return void console.log(USAGE);
  if (extra.length > 0) throw new UsageError(`Unexpected argument '${extra[0]}'. Passwords are never arguments: set KEYDECK_NEW_PASSWORD or answer the prompt.`);
  if (command !== 'list' && !name) throw new UsageError(`${command} needs a user name.`);

  const config = getConfig();
  const store = await openStore({ dataDir: config.dataDir, databaseUrl: process.env.KEYDECK_DATABASE_URL?.trim() || undefined });
  try {
    switch (command) {
      case 'add': {
        const role = roleOf(values.role);
        const accounts = values.accounts ? values.accounts.split(',').map((a) => a.trim()).filter(Boolean) : null;
        const unknown = accounts?.filter((a) => config.mode === 'aws' && !config.accounts.some((c) => c.name === a)) ?? [];
        if (unknown.length > 0) throw new UsageError(`--accounts names ${unknown.join(', ')}, not in KEYDECK_ACCOUNTS.`);
        const user = await addLocalUser(store.db, { name, role, email: values.email ?? null, accounts, password: await newPassword() }, now());
        console.log(`Added ${user.subject} (${user.role}${accounts ? `, accounts ${accounts.join(',')}` : ''}).`);
        break;
      }
      case 'list': {
        const users = await listLocalUsers(store.db);
        if (users.length === 0) console.log('No local users.');
        for (const u of users) {
          const locked = u.lockedUntil > now() ? `  locked until ${new Date(u.lockedUntil * 1000).toISOString()}` : '';
          console.log(`${u.subject}\t${u.role}\t${u.email ?? '-'}\t${u.accounts?.join(',') ?? 'all accounts'}${locked}`);
        }
        break;
      }
      case 'set-role':
        await setLocalUserRole(store.db, name, roleOf(values.role), now());
        console.log(`${name} is now ${values.role}.`);
        break;
      case 'unlock':
        await unlockLocalUser(store.db, name, now());
        console.log(`Unlocked ${name}.`);
        break;
      case 'reset-password':
        await resetLocalPassword(store.db, name, await newPassword(), now());
        console.log(`Set a new password for ${name} and ended their sessions.`);
        break;
      case 'remove':
        await removeLocalUser(store.db, name);
        console.log(`Removed ${name}.`);
        break;
      default:
        throw new UsageError(`Unknown command '${command}'.\n${USAGE}`);
    }
  } finally {
    await store.close();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError || error instanceof LocalAccountError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
    console.error(`error: ${error.message}`);
    process.exit(2);
  }
  throw error;
});
