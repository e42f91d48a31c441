/**
 * AWS KMS input limits the console checks before it calls KMS, shared by the forms (inline messages) and
 * the server actions' zod schemas. Pure: safe in the browser bundle. Figures from the KMS API model
 * (botocore's kms/2014-11-01/service-2.json) and the developer guide pages cited beside each.
 */

/** AliasNameType: `alias/` + 1–250 of `[a-zA-Z0-9/_-]` (CreateAlias API reference); `alias/aws/` is AWS's. */
export const ALIAS_PATTERN = /^alias\/[a-zA-Z0-9/_-]{1,250}$/;

/** The message for an alias name KMS would refuse, or null when it is valid. */
export function aliasNameError(name: string): string | null {
  if (name.length === 0) return 'Enter an alias name.';
  if (!name.startsWith('alias/')) return 'An alias name must begin with "alias/".';
  if (name.length === 'alias/'.length) return 'Add 1 to 250 characters after "alias/".';
  if (name.length > 256) return `An alias name can be at most 256 characters ("alias/" + 250); this one has ${name.length}.`;
  if (!ALIAS_PATTERN.test(name)) return 'After "alias/" use only letters, digits, slashes (/), underscores (_) and hyphens (-).';
  if (name.startsWith('alias/aws/')) return 'Alias names beginning with "alias/aws/" are reserved for AWS managed keys.';
  return null;
}

/** Tags (developer guide, "Tagging keys"): key 1–128 characters, value 0–256, at most 50 per key, `aws:` reserved. */
export const TAG_KEY_MAX = 128;
export const TAG_VALUE_MAX = 256;
export const MAX_TAGS = 50;

export function tagKeyError(key: string): string | null {
  if (key.length === 0) return 'Enter a tag key.';
  if (key.length > TAG_KEY_MAX) return `A tag key can be at most ${TAG_KEY_MAX} characters; this one has ${key.length}.`;
  if (key.toLowerCase().startsWith('aws:')) return 'Tag keys beginning with "aws:" are reserved for AWS.';
  return null;
}

export function tagValueError(value: string): string | null {
  if (value.length > TAG_VALUE_MAX) return `A tag value can be at most ${TAG_VALUE_MAX} characters; this one has ${value.length}.`;
  return null;
}

/** The error for adding `key` to a key that has `existing` tags (a new key must fit under the quota). */
export function tagCountError(existing: readonly string[], key: string): string | null {
  if (existing.includes(key)) return null;
  if (existing.length >= MAX_TAGS) return `A KMS key can have at most ${MAX_TAGS} tags; remove one first.`;
  return null;
}

/** DescriptionType: 0–8,192 characters. */
export const DESCRIPTION_MAX = 8192;

export function descriptionError(description: string): string | null {
  return description.length > DESCRIPTION_MAX ? `A description can be at most ${DESCRIPTION_MAX.toLocaleString('en-US')} characters; this one has ${description.length.toLocaleString('en-US')}.` : null;
}

/** RotationPeriodInDaysType: 90–2,560 days; EnableKeyRotation's default is 365. */
export const ROTATION_PERIOD = { min: 90, max: 2560, default: 365 } as const;

export function rotationPeriodError(text: string): string | null {
  if (!/^\d+$/.test(text.trim())) return `Enter a whole number of days from ${ROTATION_PERIOD.min} to ${ROTATION_PERIOD.max.toLocaleString('en-US')}.`;
  const days = Number(text.trim());
  if (days < ROTATION_PERIOD.min || days > ROTATION_PERIOD.max) return `The rotation period must be from ${ROTATION_PERIOD.min} to ${ROTATION_PERIOD.max.toLocaleString('en-US')} days.`;
  return null;
}

/** ScheduleKeyDeletion's waiting period: 7–30 days, default 30 (developer guide, "Deleting AWS KMS keys"). */
export const DELETION_WINDOW = { min: 7, max: 30, default: 30 } as const;

export function deletionWindowError(text: string): string | null {
  if (!/^\d+$/.test(text.trim())) return `Enter a whole number of days from ${DELETION_WINDOW.min} to ${DELETION_WINDOW.max}.`;
  const days = Number(text.trim());
  if (days < DELETION_WINDOW.min || days > DELETION_WINDOW.max) return `The waiting period must be from ${DELETION_WINDOW.min} to ${DELETION_WINDOW.max} days.`;
  return null;
}

const DAY_MS = 86_400_000;

/** When a key scheduled now for deletion in `days` days is deleted (KMS counts whole days from the request). */
export function deletionDateAfter(now: number, days: number): number {
  return now + days * DAY_MS;
}

/**
 * "You can perform on-demand key rotation a maximum of 25 times per KMS key"
 * (https://docs.aws.amazon.com/kms/latest/developerguide/rotating-keys-on-demand.html; older copies of the
 * page and of the API reference still say 10). The emulator enforces the same 25 (LimitExceededException).
 */
export const ON_DEMAND_ROTATION_LIMIT = 25;
