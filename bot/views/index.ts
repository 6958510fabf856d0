import type { FlowName } from '../../machines/flow.ts';
import type { StepResult } from '../../workflows/contract.ts';
import { renderAddFunds } from './add-funds.ts';
import { renderCashout } from './cashout.ts';
import { renderMenu } from './menu.ts';
import { renderOnboarding } from './onboarding.ts';
import type { View, ViewContext } from './view.ts';

const flows: Record<FlowName, (result: StepResult, context: ViewContext) => View> = {
  onboarding: (result) => renderOnboarding(result.screen, result.stamp),
  menu: (result, context) => renderMenu(result.screen, context),
  addFunds: (result) => renderAddFunds(result.screen, result.stamp),
  cashout: (result) => renderCashout(result.screen, result.stamp),
};

/** The message for a step's result. */
export function renderResult(result: StepResult, context: ViewContext): View {
  return flows[result.screen.flow](result, context);
}

export type { View, ViewContext } from './view.ts';
