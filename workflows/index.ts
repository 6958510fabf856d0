/** Every workflow the worker registers. Names must match `workflowTypes` in contract.ts. */
export { onboardingFlow } from './onboarding.ts';
export { menuFlow } from './menu.ts';
export { addFundsFlow } from './add-funds.ts';
export { cashoutFlow } from './cashout.ts';
export { depositWorkflow } from './deposit.ts';
export { payoutWorkflow } from './payout.ts';
export { refreshRatesWorkflow } from './rates.ts';
