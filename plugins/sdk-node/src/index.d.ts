// Types of @bkg/plugin-sdk. The wire shapes are those of docs/PROTOCOL.md; the daemon's own
// types live in crate bkg-core (core/src/protocol.rs).

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export declare const PROTOCOL: string;

export declare const codes: Readonly<{
  BAD_INPUT: 'bad_input';
  INTERNAL: 'internal';
  CANCELLED: 'cancelled';
  PANIC: 'panic';
  UNKNOWN_CAPABILITY: 'unknown_capability';
  DUPLICATE_ID: 'duplicate_id';
  SHUTTING_DOWN: 'shutting_down';
  UNSUPPORTED: 'unsupported';
  FEATURE_NOT_NEGOTIATED: 'feature_not_negotiated';
  DAEMON_GONE: 'daemon_gone';
  PATH_NOT_ALLOWED: 'path_not_allowed';
}>;

export declare const features: Readonly<{
  CANCEL: 'cancel';
  CONFIG_LIVE: 'config.live';
  CALLBACKS: 'callbacks';
  METRICS: 'metrics';
}>;

/** The error a capability answers a request with. */
export declare class PluginError extends Error {
  constructor(code: string, message: string, clientError?: boolean);
  code: string;
  /** The caller's input was at fault: the daemon answers 4xx instead of 502. */
  clientError: boolean;
  toJSON(): { code: string; message: string; client_error: boolean };
  static fromJSON(error: unknown): PluginError;
}

export declare function badInput(message: string): PluginError;
export declare function internal(message: string): PluginError;
export declare function cancelled(): PluginError;

/** The daemon's hello (docs/PROTOCOL.md). */
export interface DaemonHello {
  type: 'hello';
  protocol: string;
  daemon_version: string;
  plugin_id: string;
  run: number;
  features: string[];
  config: Json;
  data_dir?: string;
  allowed_paths?: string[];
}

export interface CapabilitySpec {
  description?: string;
  /** JSON schema the daemon validates every input against. */
  inputSchema?: Json;
  outputSchema?: Json;
  /** The capability sends chunks before its result. */
  streaming?: boolean;
  /** A permission callers need besides plugins:invoke, e.g. "plugins:admin". */
  permission?: string;
}

export interface Document {
  id?: string;
  text: string;
  metadata?: Json;
  embedding?: number[];
}

export declare class Session {
  readonly daemon: DaemonHello;
  /** The features both sides announced; only these may be used. */
  readonly features: string[];
  /** The effective configuration: the hello's, or the last one onConfigure accepted. */
  config: Json;
  readonly pluginId: string;
  readonly run: number;
  readonly dataDir: string | undefined;
  readonly allowedPaths: string[];
  hasFeature(name: string): boolean;
  resolvePath(path: string, options?: { write?: boolean }): string;
  call(method: string, params?: Json): Promise<Json>;
  documentsPut(collection: string, documents: Document[], model?: string): Promise<{ ids: string[] }>;
  documentsList(collection: string, options?: { after?: string | null; limit?: number; withEmbeddings?: boolean }):
    Promise<{ documents: Document[]; next: string | null }>;
  documentsDelete(collection: string, ids?: string[]): Promise<{ deleted: number }>;
  collectionsList(): Promise<{ collections: { collection: string; documents: number }[] }>;
  modelsResolve(model: string): Promise<{ id: string; repo: string; path: string; files: string[] }>;
  reportMetrics(counters: Record<string, number>): void;
}

/** Who a request is for: the user at its root and the plugins it passed through. */
export interface Caller {
  user?: string;
  plugin?: string;
  chain?: string[];
}

/** What a handler gets for one request. */
export declare class Ctx {
  readonly id: number;
  readonly capability: string;
  readonly caller: Caller;
  readonly session: Session;
  /** Aborted when the daemon cancels the request (or goes away). */
  readonly signal: AbortSignal;
  readonly cancelled: boolean;
  readonly config: Json;
  readonly dataDir: string | undefined;
  readonly run: number;
  readonly pluginId: string;
  /** Sends a partial result; throws `cancelled` once the request is cancelled. */
  chunk(data: Json): void;
  /** Resolves after `ms`, rejects with `cancelled` as soon as the request is cancelled. */
  sleep(ms: number): Promise<void>;
  call(method: string, params?: Json): Promise<Json>;
  /** Invokes another plugin's capability for this request's caller; resolves with its output. */
  invokePlugin(plugin: string, capability: string, input?: Json): Promise<Json>;
  reportMetrics(counters: Record<string, number>): void;
  resolvePath(path: string, options?: { write?: boolean }): string;
}

export type Handler<I = any, O = Json> = (ctx: Ctx, input: I) => O | Promise<O>;

export declare class Plugin {
  constructor(name: string, version: string);
  capability<I = any, O = Json>(name: string, spec: CapabilitySpec, handler: Handler<I, O>): this;
  capability<I = any, O = Json>(name: string, handler: Handler<I, O>): this;
  onConfigure(handler: (config: Json) => void | Promise<void>): this;
  onReady(hook: (session: Session) => void | Promise<void>): this;
  feature(name: string): this;
  features(): string[];
  /** Speaks the protocol until goodbye or EOF; resolves with the exit code. */
  run(input?: NodeJS.ReadableStream, output?: NodeJS.WritableStream): Promise<number>;
  /** run(), then process.exit with its code. */
  main(): void;
}

export declare function confine(path: string, dataDir: string | undefined, allowed?: string[], write?: boolean): string;

export declare const log: {
  log(level: string, message: string, fields?: Record<string, unknown>): void;
  trace(message: string, fields?: Record<string, unknown>): void;
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
};
