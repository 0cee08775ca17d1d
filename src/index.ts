// axptr-sim as a library: the functions the CLI is made of, with the types
// the code itself uses (the scenario types from the zod schema, the trace's
// event union). The CLI (src/cli/) is one user of this API; nothing here
// reads files, writes to the console or exits.
//
// Sections below, one per part of the tool: add new exports to their section.
//
// Every function here checks its arguments (src/api/) and throws one
// ArgumentError naming the argument; the CLI calls the unchecked internals.

// ---- the error a bad argument throws
export { ArgumentError } from "./api/argument-error.js";

// ---- scenarios: YAML text to a validated scenario, or problems with line and column
export { MAX_PROBLEMS, type LoadResult, type Locate, type Scenario } from "./scenario/validate.js";
export { formatProblem, kernelProfile, loadScenario, simulate } from "./api/scenarios.js";
export type { KeyPath, Problem } from "./scenario/problems.js";
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
export type { SimulateOptions, StrategyName } from "./sim/simulate.js";
export { MAX_EVENTS, TraceTooLarge } from "./sim/machine.js";
export type { KernelProfile } from "./sim/kernels/index.js";
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
export { DEFAULT_MAX_SCHEDULES, TooManySchedules, type ExploreClass, type ExploreOptions, type ExploreResult, type Shard } from "./explore/explore.js";
export { explore, mergeShards, occurrenceText, parseOccurrence, parseToken, raceEvents, tokenOf, witnessTrace } from "./api/exploration.js";
export type { ClassStep } from "./explore/signature.js";
export type { Pair, Schedule, TokenResult } from "./explore/schedule.js";
export type { Occurrence } from "./explore/occurrence.js";
export type { RaceEvent } from "./sim/injector.js";
export { MergeError } from "./explore/merge.js";

// ---- renderers: each returns a string; colour is a parameter
export {
  eventJson,
  exploreJson,
  exploreTextAll,
  exploreTextBlock,
  renderCompareJson,
  renderCompareText,
  renderExploreJson,
  renderJson,
  renderMermaid,
  renderMermaidAll,
  renderNdjson,
  renderReport,
  renderText,
  replayCommand,
  traceJson,
} from "./api/renderers.js";
export type { TextOptions } from "./render/text.js";
export type { Json } from "./render/json.js";
export type { Compared } from "./render/compare.js";
export type { MermaidOptions } from "./render/mermaid/index.js";
export type { ReportOptions, ReportScenario, ReportSection } from "./render/report/index.js";
export type { ExploreTextOptions } from "./render/explore-text.js";

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
