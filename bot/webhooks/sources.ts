import type { ProviderConfig } from '../../activities/config.ts';
import { usesSandboxRails } from '../../activities/providers/sandbox/rails.ts';
import { SandboxWebhookSource } from '../../activities/providers/sandbox/webhook-source.ts';
import type { WebhookSource } from '../../activities/providers/types.ts';

/**
 * The webhook sources the bot serves: the real providers' (`createRealProviders(…).webhooks`)
 * and the sandbox's, only while some rail is a sandbox. With every rail real,
 * `/webhooks/sandbox` answers 404: the local default sandbox secret is public, so its
 * signatures would prove nothing.
 */
export function webhookSources(providers: ProviderConfig, real: WebhookSource[] = []) {
  const sandbox = usesSandboxRails(providers)
    ? [new SandboxWebhookSource(providers.sandboxWebhookSecret)]
    : [];
  return [...real, ...sandbox];
}
