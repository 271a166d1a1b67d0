// The tool contract lives in spec (tool packages implement it without importing the engine).
export type {
  RunTool,
  StartToolItem,
  ToolContext,
  ToolItemFinish,
  ToolItemHandle,
  ToolReport,
  ToolResult,
  ToolScope,
} from '@agentd/spec';
