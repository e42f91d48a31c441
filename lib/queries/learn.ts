/** Query keys and options for /learn: the learner's saved progress (one list for all scenarios). */
import { queryOptions } from '@tanstack/react-query';
import type { StepProgress } from '@/lib/learn/types';
import { fetchJson } from './fetch-json';

export const learnQueries = {
  all: () => ['learn'] as const,
  progress: () =>
    queryOptions({
      queryKey: [...learnQueries.all(), 'progress'] as const,
      queryFn: ({ signal }) => fetchJson<{ progress: StepProgress[] }>('/api/learn/progress', { signal }),
    }),
};
