/** Every workflow the worker registers. Names must match `workflowTypes` in contract.ts. */
export { onboardingFlow } from './onboarding.ts';
export { menuFlow } from './menu.ts';
