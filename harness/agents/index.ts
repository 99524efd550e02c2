/** What the rest of the harness may use of agents/: everything else in the folder is its own. */
export { AGENT_OPTIONS, AGENT_USAGE, chooseAgent, type ChosenAgent, readPricing } from './agent-options';
export { STDERR_TAIL_LINES } from './agent-process';
export { AGENT_KINDS, type AgentFactory, type AgentSpec, type AgentUnderTest, parseAgentSpec, TRIVIAL_AGENT_KINDS, trivialAgentFactory, type TrivialAgentKind } from './agent-spec';
export { splitCommandLine } from './command-line';
export { execAgent } from './exec-brain';
export { mcpAgent } from './mcp-brain';
export { CACHE_MODES, type CacheMode, canonical, isCacheMode, openModelCache } from './model-cache';
export { ModelHealth } from './model-calls';
export { openAiBrain } from './openai-brain';
export { FUNCTION_SURFACE, OFFERED_TOOLS } from './tool-surface';
export { type ChatEntry, type ProcessLine, Transcript } from './transcript';
export { nullBrain, randomBrain } from './trivial-agents';
export { addUsage, costOf, NO_USAGE, Pricing, Usage, UsageMeter } from './usage';
