import type { JudgeEndpoint } from '@agentd/safety';
import type { Config } from '../config/schema.js';
import { DEFAULT_SAFETY, resolveSafety } from './resolve-safety.js';
import { RunSafety, type TenantSafetyDefaults } from './run-safety.js';

/** The runs' safety from the server's configuration: agentd's defaults, AGENTD_SAFETY and AGENTD_SAFETY_POLICY over them. */
export function platformSafety(config: Config, tenants?: TenantSafetyDefaults): RunSafety {
  const platform = resolveSafety(DEFAULT_SAFETY, config.AGENTD_SAFETY_POLICY, {
    ...(config.AGENTD_SAFETY ? {} : { enabled: false }),
  });
  const judge = judgeEndpoint(config);
  return new RunSafety({ platform, ...(tenants ? { tenants } : {}), ...(judge ? { judge } : {}) });
}

/** The judge's model and where it is served (the model API's base URL and key unless it has its own). */
function judgeEndpoint(config: Config): JudgeEndpoint | undefined {
  const model = config.AGENTD_SAFETY_JUDGE_MODEL;
  const baseURL = config.AGENTD_SAFETY_JUDGE_BASE_URL ?? config.OPENAI_BASE_URL;
  if (!model || !baseURL) return undefined;
  const apiKey = config.AGENTD_SAFETY_JUDGE_API_KEY ?? config.OPENAI_API_KEY;
  return { model, baseURL, ...(apiKey ? { apiKey } : {}) };
}
