/** The create-key wizard's state: the draft, how far the user got, and which steps show their problems. */
import {
  configurationProblems,
  fullAlias,
  hasLabelProblems,
  INITIAL_DRAFT,
  labelProblems,
  reconcileConfiguration,
  type KeyDraft,
  type TagDraft,
} from '@/lib/kms/create-key';

export const STEPS = [
  { id: 'configure', title: 'Configure key' },
  { id: 'labels', title: 'Add labels' },
  { id: 'administrators', title: 'Key administrators' },
  { id: 'users', title: 'Key users' },
  { id: 'review', title: 'Review' },
] as const;

export type StepId = (typeof STEPS)[number]['id'];
export const stepIndex = (id: StepId) => STEPS.findIndex((s) => s.id === id);
export const isStepId = (value: string | null): value is StepId => STEPS.some((s) => s.id === value);

export type PrincipalRole = 'administrators' | 'users';

export interface WizardState {
  draft: KeyDraft;
  /** The furthest step the user may open: every step before it passed its checks. */
  reached: number;
  /** Steps whose problems are shown (after a Next that they blocked). */
  showProblems: Partial<Record<StepId, boolean>>;
  /** Principals typed by hand, listed beside those from CloudTrail. */
  typedPrincipals: string[];
  /** The alias the server said is taken, if the current alias is it. */
  takenAlias: string | null;
  /** The alias the server said is free. */
  freeAlias: string | null;
}

export const initialWizardState: WizardState = { draft: INITIAL_DRAFT, reached: 0, showProblems: {}, typedPrincipals: [], takenAlias: null, freeAlias: null };

export type WizardAction =
  | { type: 'configure'; change: Partial<Pick<KeyDraft, 'keyType' | 'keyUsage' | 'keySpec' | 'origin' | 'multiRegion'>> }
  | { type: 'labels'; change: Partial<Pick<KeyDraft, 'alias' | 'description'>> }
  | { type: 'tag-add' }
  | { type: 'tag-change'; index: number; change: Partial<TagDraft> }
  | { type: 'tag-remove'; index: number }
  | { type: 'principal-toggle'; role: PrincipalRole; arn: string; selected: boolean }
  | { type: 'principal-typed'; role: PrincipalRole; arn: string }
  | { type: 'grants'; allow: boolean }
  | { type: 'alias-checked'; alias: string; available: boolean }
  | { type: 'show-problems'; step: StepId }
  | { type: 'passed'; step: StepId }
  | { type: 'reset' };

export function wizardReducer(state: WizardState, action: WizardAction): WizardState {
  const draft = state.draft;
  switch (action.type) {
    case 'configure':
      return { ...state, draft: reconcileConfiguration({ ...draft, ...action.change }) };
    case 'labels':
      return { ...state, draft: { ...draft, ...action.change } };
    case 'tag-add':
      return { ...state, draft: { ...draft, tags: [...draft.tags, { key: '', value: '' }] } };
    case 'tag-change':
      return { ...state, draft: { ...draft, tags: draft.tags.map((tag, i) => (i === action.index ? { ...tag, ...action.change } : tag)) } };
    case 'tag-remove':
      return { ...state, draft: { ...draft, tags: draft.tags.filter((_, i) => i !== action.index) } };
    case 'principal-toggle': {
      const list = draft[action.role].filter((arn) => arn !== action.arn);
      return { ...state, draft: { ...draft, [action.role]: action.selected ? [...list, action.arn] : list } };
    }
    case 'principal-typed': {
      const typedPrincipals = state.typedPrincipals.includes(action.arn) ? state.typedPrincipals : [...state.typedPrincipals, action.arn];
      const list = draft[action.role].includes(action.arn) ? draft[action.role] : [...draft[action.role], action.arn];
      return { ...state, typedPrincipals, draft: { ...draft, [action.role]: list } };
    }
    case 'grants':
      return { ...state, draft: { ...draft, allowGrantsForAwsResources: action.allow } };
    case 'alias-checked':
      return action.available
        ? { ...state, freeAlias: action.alias, takenAlias: state.takenAlias === action.alias ? null : state.takenAlias }
        : { ...state, takenAlias: action.alias, freeAlias: state.freeAlias === action.alias ? null : state.freeAlias, showProblems: { ...state.showProblems, labels: true } };
    case 'show-problems':
      return { ...state, showProblems: { ...state.showProblems, [action.step]: true } };
    case 'passed':
      return { ...state, reached: Math.max(state.reached, stepIndex(action.step) + 1) };
    case 'reset':
      return initialWizardState;
  }
}

/** Whether a step's own checks pass (the alias's availability is asked of the server separately). */
export function stepIsValid(step: StepId, state: WizardState): boolean {
  switch (step) {
    case 'configure':
      return Object.keys(configurationProblems(state.draft)).length === 0;
    case 'labels':
      return !hasLabelProblems(labelProblems(state.draft)) && state.freeAlias === fullAlias(state.draft.alias);
    default:
      return true;
  }
}

/** The first step that does not pass, up to `step`: where a URL asking for a later step lands. */
export function firstBlockingStep(state: WizardState, wanted: StepId): StepId {
  const limit = Math.min(stepIndex(wanted), state.reached);
  for (let i = 0; i < limit; i++) if (!stepIsValid(STEPS[i].id, state)) return STEPS[i].id;
  return STEPS[limit].id;
}
