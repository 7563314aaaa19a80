// pluginv2.Diagnostics/CheckHealth ("Save & test").
import type { InstanceCache } from '../datasource/instanceCache';
import type { CallContext } from '../protocol/callContext';
import type { CheckHealthRequestMsg, CheckHealthResponseMsg } from '../protocol/messages';
import { checkAgentHealth } from './agentHealth';
import { checkCloudHealth } from './cloudHealth';
import { errorText, healthError } from './healthResult';

export async function checkHealth(
  req: CheckHealthRequestMsg,
  instances: InstanceCache,
  ctx: CallContext
): Promise<CheckHealthResponseMsg> {
  const inst = instances.get(req.pluginContext?.dataSourceInstanceSettings);
  if (!inst.ok) {
    return healthError(inst.error, 'settings');
  }
  const opts = { signal: ctx.signal, timeoutMs: ctx.timeLeftMs() };
  try {
    return inst.value.settings.transport === 'cloud'
      ? await checkCloudHealth(inst.value, opts)
      : await checkAgentHealth(inst.value, opts);
  } catch (err) {
    return healthError(`Health check failed: ${errorText(err)}`, 'internal', err);
  }
}
