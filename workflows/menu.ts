import { proxyLocalActivities } from '@temporalio/workflow';
import { menuMachine, screenOfMenu } from '../machines/menu.ts';
import type { MenuActivities } from '../activities/menu.ts';
import { conversationActivity } from './activity-options.ts';
import type { FlowOutcome, FlowStart } from './contract.ts';
import { hostFlow } from './host.ts';

const activities = proxyLocalActivities<MenuActivities>(conversationActivity);

/** `/menu` and the menu's pages: one screen per run. Workflow id `chat-<chatId>`. */
export async function menuFlow(start: FlowStart): Promise<FlowOutcome> {
  return hostFlow(start, {
    flow: 'menu',
    machine: menuMachine,
    prefetch: () => activities.prefetchMenuContext({ party: start.party, page: start.param }),
    input: (facts) => ({ party: start.party, page: start.param, facts }),
    screen: screenOfMenu,
  });
}
