import { Json, PluginError } from './index';

export declare class HarnessError extends Error {}

export declare class MemoryStore {
  collections: Map<string, Map<string, Json>>;
  answer(method: string, params: Json): Json;
}

export interface TestDaemonOptions {
  pluginId?: string;
  run?: number;
  config?: Json;
  features?: string[];
  protocol?: string;
  dataDir?: string;
  allowedPaths?: string[];
  timeoutMs?: number;
  callHandler?: (method: string, params: Json) => Json | Promise<Json>;
  env?: Record<string, string>;
  cwd?: string;
}

export declare class Call {
  readonly id: number;
  chunks(): Promise<Json[]>;
  result(): Promise<Json>;
}

export declare class PluginProcess {
  hello: Json;
  metrics: Record<string, number>;
  stderrLines: string[];
  goodbyeReason?: string;
  handshake(): Promise<Json>;
  startCall(capability: string, input?: Json): Call;
  invoke(capability: string, input?: Json): Promise<Json>;
  cancel(call: Call): void;
  configure(config: Json): Promise<Json>;
  goodbye(reason?: string): void;
  closeStdin(): void;
  waitExit(): Promise<number>;
  waitFor(what: string, predicate: () => boolean): Promise<void>;
  waitStderr(predicate: (line: string) => boolean): Promise<string>;
  kill(): void;
}

export declare class TestDaemon {
  constructor(options?: TestDaemonOptions);
  store: MemoryStore;
  spawn(argv: string[]): PluginProcess;
  start(argv: string[]): Promise<PluginProcess>;
}

export declare const ALL_FEATURES: string[];
export { PluginError };
