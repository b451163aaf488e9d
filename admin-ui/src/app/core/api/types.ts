// Names for the generated API types (schema.ts, from docs/openapi.json). Aliases only: every
// DTO is defined once, by the daemon.
import type { components } from './schema';

type S = components['schemas'];

export type ApiKey = S['ApiKey'];
export type ApiKeySecret = S['ApiKeySecret'];
export type AuditEvent = S['AuditEvent'];
export type AuditPage = S['AuditPage'];
export type CapabilitySpec = S['CapabilitySpec'];
export type ClientMessage = S['ClientMessage'];
export type ConfigApplied = S['ConfigApplied'];
export type CreateApiKey = S['CreateApiKey'];
export type CreateUser = S['CreateUser'];
export type EffectiveConfig = S['EffectiveConfig'];
export type ErrorBody = S['ErrorBody'];
export type Health = S['Health'];
export type InvokeEvent = S['InvokeEvent'];
export type InvokeResponse = S['InvokeResponse'];
export type LogLevel = S['LogLevel'];
export type LogLine = S['LogLine'];
export type LogPage = S['LogPage'];
export type Me = S['Me'];
export type Model = S['Model'];
export type ModelEvent = S['ModelEvent'];
export type NodeInfo = S['NodeInfo'];
export type NodeList = S['NodeList'];
export type NodeState = S['NodeState'];
export type Permission = S['Permission'];
export type PluginDetail = S['PluginDetail'];
export type PluginState = S['PluginState'];
export type PluginStatus = S['PluginStatus'];
export type PluginSummary = S['PluginSummary'];
export type Role = S['Role'];
export type ServerMessage = S['ServerMessage'];
export type SessionInfo = S['SessionInfo'];
export type TelemetrySample = S['TelemetrySample'];
export type TokenPair = S['TokenPair'];
export type Topic = S['Topic'];
export type UsagePoint = S['UsagePoint'];
export type UsageReport = S['UsageReport'];
export type User = S['User'];
