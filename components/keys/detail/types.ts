/** What the detail tabs receive to change a key: TanStack mutations over its server actions, region and key id already bound. */
import type { UseMutationResult } from '@tanstack/react-query';
import type { ApiError } from '@/lib/queries/fetch-json';

export type Mutation<I, T = unknown> = Pick<UseMutationResult<T, ApiError, I>, 'mutate' | 'mutateAsync' | 'isPending'>;

export interface CreatedKeyResult {
  keyId: string;
  arn: string;
  keyState: string;
}

export interface KeyDetailActions {
  setEnabled: Mutation<{ enabled: boolean }>;
  scheduleDeletion: Mutation<{ pendingWindowInDays: number }, { keyState: string; deletionDate: number; pendingWindowInDays: number }>;
  cancelDeletion: Mutation<void, { keyState: string }>;
  updateDescription: Mutation<{ description: string }>;
  setRotation: Mutation<{ enabled: boolean; periodDays?: number }>;
  rotateNow: Mutation<void>;
  createAlias: Mutation<{ aliasName: string }>;
  renameAlias: Mutation<{ from: string; to: string }>;
  /** UpdateAlias: moves `aliasName` to the key `keyId`. */
  retargetAlias: Mutation<{ aliasName: string; keyId: string }>;
  deleteAlias: Mutation<{ aliasName: string }>;
  putTag: Mutation<{ key: string; value: string; previousKey?: string }>;
  removeTag: Mutation<{ key: string }>;
  replicate: Mutation<{ replicaRegion: string }, { arn: string; region: string; keyState: string }>;
  createReplacement: Mutation<void, CreatedKeyResult>;
}
