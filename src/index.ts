// axptr-sim as a library: the functions the CLI is made of, with the types
// the code itself uses (the scenario types from the zod schema, the trace's
// event union). The CLI (src/cli/) is one user of this API; nothing here
// reads files, writes to the console or exits.
//
// Sections below, one per part of the tool: add new exports to their section.

// ---- scenarios: YAML text to a validated scenario, or problems with line and column
export { loadScenario, MAX_PROBLEMS, type LoadResult, type Locate, type Scenario } from "./scenario/validate.js";
export { formatProblem, type KeyPath, type Problem } from "./scenario/problems.js";
export { KERNELS, type KernelName } from "./scenario/kernels.js";
export {
  ACTIONS,
  ALL_STRATEGIES,
  HAZARDS,
  OUTCOMES,
  STRATEGIES,
  TRIGGERS,
  Scenario as ScenarioSchema,
  scenarioJsonSchema,
  type ActionSpec,
  type AreaSpec,
  type ContentItemSpec,
  type ElementTypeSpec,
  type ExploreSpec,
  type HazardKind,
  type InjectedEventSpec,
  type MachineSpec,
  type NestedStepSpec,
  type OpName,
  type RaceSpec,
  type ScenarioSpec,
  type StepExpectSpec,
  type StepSpec,
  type ThreadSpec,
  type TriggerName,
} from "./scenario/schema.js";

// ---- the simulator: a pure function from a scenario to its typed trace
export { simulate, type SimulateOptions, type StrategyName } from "./sim/simulate.js";
export { MAX_EVENTS, TraceTooLarge } from "./sim/machine.js";
export { kernelProfile, type KernelProfile } from "./sim/kernels/index.js";
export type {
  Access,
  Decision,
  Errno,
  EventBody,
  EventKind,
  Expected,
  Flags,
  Hazard,
  Mode,
  Outcome,
  RunEnd,
  RunExpectation,
  StepRecord,
  StepResult,
  Trace,
  TraceEvent,
  Unfired,
  Value,
} from "./sim/events.js";

// ---- exploration: every schedule of a file's races up to a depth, grouped into classes (explore.md)
export { DEFAULT_MAX_SCHEDULES, explore, TooManySchedules, type ExploreClass, type ExploreOptions, type ExploreResult, type Shard } from "./explore/explore.js";
export type { ClassStep } from "./explore/signature.js";
export { parseToken, raceEvents, tokenOf, type Pair, type Schedule, type TokenResult } from "./explore/schedule.js";
export { occurrenceText, parseOccurrence, type Occurrence } from "./explore/occurrence.js";
export type { RaceEvent } from "./sim/injector.js";
export { witnessTrace } from "./explore/witness.js";
export { MergeError, mergeShards } from "./explore/merge.js";

// ---- renderers: each returns a string; colour is a parameter
export { renderText, type TextOptions } from "./render/text.js";
export { renderJson, traceJson, eventJson, type Json } from "./render/json.js";
export { renderNdjson } from "./render/ndjson.js";
export { renderCompareJson, renderCompareText, type Compared } from "./render/compare.js";
export { renderMermaid, renderMermaidAll, type MermaidOptions } from "./render/mermaid/index.js";
export { renderReport, type ReportOptions, type ReportScenario, type ReportSection } from "./render/report/index.js";
export { exploreJson, renderExploreJson } from "./render/explore-json.js";
export { exploreTextAll, exploreTextBlock, replayCommand, type ExploreTextOptions } from "./render/explore-text.js";

// ---- the JSON output described: JSON Schemas and the types of parsed output
export {
  CompareDocument,
  ExploreDocument,
  TraceDocument,
  TraceEventJson,
  compareJsonSchema,
  exploreJsonSchema,
  traceJsonSchema,
  type CompareJson,
  type ExploreJson,
  type TraceJson,
} from "./render/trace-schema.js";
