/* eslint-disable */
// Generated from docs/openapi.json by `npm run generate:api` (admin-ui). Do not edit:
// change the daemon's DTOs in core/, run `make generate`, then regenerate this file.
export type paths = {
    "/admin/api-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's keys (admins: everyone's). Never the secrets. */
        get: operations["getAdminApiKeys"];
        put?: never;
        /** Creates a key. The answer holds the secret; it is shown this once and never again. */
        post: operations["postAdminApiKeys"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/api-keys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Changes the given fields of a key (name, role, scopes, expiry, enabled); PUT and PATCH
         *     both change only what is given.
         */
        put: operations["putAdminApiKeysId"];
        post?: never;
        /** Deletes a key; it stops working at once. */
        delete: operations["deleteAdminApiKeysId"];
        options?: never;
        head?: never;
        /**
         * Changes the given fields of a key (name, role, scopes, expiry, enabled); PUT and PATCH
         *     both change only what is given.
         */
        patch: operations["patchAdminApiKeysId"];
        trace?: never;
    };
    "/admin/api-keys/{id}/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Gives a key a new secret (shown once). With a grace period the old secret keeps working
         *     until it ends; without, it stops at once.
         */
        post: operations["postAdminApiKeysIdRotate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Audit events, newest first. `action` may be a prefix ending in `.` (`key.`). */
        get: operations["getAdminAudit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/config": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The configuration after every layer (defaults, file, `BKG_*`, flags), as `bkgd config show`
         *     prints it, with every secret replaced by `***`. Changing it means editing the file or the
         *     environment and restarting bkgd.
         */
        get: operations["getAdminConfig"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every user (never their password hashes). */
        get: operations["getAdminUsers"];
        put?: never;
        /** Creates a user. */
        post: operations["postAdminUsers"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/users/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Changes a user's role, password or disabled flag. Any of these ends the user's sessions.
         *     The last enabled admin cannot be demoted or disabled.
         */
        put: operations["putAdminUsersId"];
        post?: never;
        /** Deletes a user and their keys. The last enabled admin cannot be deleted. */
        delete: operations["deleteAdminUsersId"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/analytics/usage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Usage analytics: invocations per plugin and capability (with outcome and latency bucket),
         *     tokens generated, embeddings computed, model downloads and logins, counted per hour (or
         *     summed per UTC day), oldest first. Kept for `analytics.retention_days`.
         */
        get: operations["getApiAnalyticsUsage"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/models": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every registered model, oldest first, with live progress for downloads. */
        get: operations["getApiModels"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/models/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One model: files with hashes, status, progress (bytes, rate, ETA), problems, users. */
        get: operations["getApiModelsId"];
        put?: never;
        post?: never;
        /**
         * Deletes a model: cancels its download if one runs, removes the files no other snapshot
         *     needs, and the registry entry. 409 while a running plugin uses it, unless `force=true`.
         */
        delete: operations["deleteApiModelsId"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/models/{id}/validate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Re-hashes every file and parses safetensors and GGUF headers and `config.json`. The
         *     model becomes `ready` or `invalid`; `ok` and `problems` say why.
         */
        post: operations["postApiModelsIdValidate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/models/download": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Starts downloading a model from the hub and answers at once (202) with the model and its
         *     job. Asking again for the same repo and revision joins the existing model (`created:
         *     false`) instead of downloading twice; a failed or invalid one is downloaded again.
         */
        post: operations["postApiModelsDownload"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/models/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Registers a model from a folder on the daemon's machine: its files are copied into the
         *     cache, hashed and checked like a download. Admins only, and only from the folders listed in
         *     `models.import_roots` (403 `path_not_allowed` otherwise; never the data dir or the cache,
         *     nor anything a symlink leads to outside the roots).
         */
        post: operations["postApiModelsImport"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/nodes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every node of the cluster: the one answering (`current`) with its live plugins, the others
         *     as their last heartbeat reported them (`up`, `down` after three missed heartbeats, or
         *     `stopped` after a clean shutdown). Plugins run per node; a client acts on one through its
         *     node's `url`.
         */
        get: operations["getApiNodes"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This document. */
        get: operations["getApiOpenapiJson"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/plugins": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every plugin with its status. */
        get: operations["getApiPlugins"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/plugins/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One plugin: manifest, status, capabilities, config. */
        get: operations["getApiPluginsId"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/plugins/{id}/bundle": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Writes an uploaded plugin folder (an uncompressed tar archive whose root holds the
         *     `plugin.toml` of plugin `id`) into the plugins directory, replacing the plugin's folder,
         *     then reloads. Refused while the plugin runs, and for built-in plugins. Dependencies are not
         *     part of a bundle: install them with `POST /api/plugins/{id}/install`.
         */
        put: operations["putApiPluginsIdBundle"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/plugins/{id}/capabilities": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The plugin's capabilities with their input and output schemas. */
        get: operations["getApiPluginsIdCapabilities"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/plugins/{id}/config": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Replaces the plugin's configuration (validated against its schema); applied live when the
         *     plugin supports it, else by a hot swap, else at the next start.
         */
        post: operations["postApiPluginsIdConfig"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/plugins/{id}/install": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Installs the plugin's runtime (a Python venv with its requirements, or `npm ci`); the
         *     plugin must be stopped. With `Accept: application/x-ndjson` the answer streams
         *     `InstallEvent`s: the installer's output lines as they come, then `done` or `error`.
         */
        post: operations["postApiPluginsIdInstall"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/plugins/{id}/invoke/{capability}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Invokes a capability of a running plugin. */
        post: operations["postApiPluginsIdInvokeCapability"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/plugins/{id}/logs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Log backfill. Pass the answer's `cursor` to a `logs` WebSocket subscription to follow on
         *     without a gap.
         */
        get: operations["getApiPluginsIdLogs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/plugins/{id}/restart": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Restarts a plugin. A running plugin is hot-swapped: the new instance takes new calls once
         *     its handshake completed, the old one finishes its calls in flight and then stops.
         */
        post: operations["postApiPluginsIdRestart"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/plugins/{id}/start": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Starts a plugin; answers once it is running (its handshake completed). */
        post: operations["postApiPluginsIdStart"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/plugins/{id}/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The plugin's lifecycle status. */
        get: operations["getApiPluginsIdStatus"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/plugins/{id}/stop": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Stops a plugin: SIGTERM to its process group, SIGKILL after its stop timeout; answers once
         *     the process is gone.
         */
        post: operations["postApiPluginsIdStop"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/plugins/{id}/telemetry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Recent telemetry samples of the plugin, oldest first. */
        get: operations["getApiPluginsIdTelemetry"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/plugins/reload": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Picks up new, changed and removed manifests in the plugins directory. Running plugins are
         *     left alone: their changes are reported as `deferred` and apply at a reload once stopped.
         */
        post: operations["postApiPluginsReload"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Logs in with a username and password; answers a short-lived access token and a refresh token. */
        post: operations["postAuthLogin"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Ends this login session (or, with `all`, every session of the user); its tokens stop working
         *     at once and its WebSocket connections close.
         */
        post: operations["postAuthLogout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Who the caller is and what they may do. */
        get: operations["getAuthMe"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Changes the caller's own password; every session of the user ends (log in again). */
        post: operations["postAuthPassword"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Trades a refresh token for a new pair. Each refresh token works once; presenting a used one
         *     revokes its whole session.
         */
        post: operations["postAuthRefresh"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's live login sessions, newest first. */
        get: operations["getAuthSessions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/sessions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Ends one of the caller's sessions (another tab or device, or this one). */
        delete: operations["deleteAuthSessionsId"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The daemon process is up. */
        get: operations["getHealthz"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Plugin and daemon metrics in the Prometheus text format. */
        get: operations["getMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The daemon can serve: the database answers and it is not shutting down. */
        get: operations["getReadyz"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/chat/completions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A chat completion: the whole answer, or (`stream: true`) `chat.completion.chunk` events
         *     ending with `data: [DONE]`.
         */
        post: operations["postV1ChatCompletions"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/embeddings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sentence embeddings, as floats or (`encoding_format: base64`) base64 of little-endian f32. */
        post: operations["postV1Embeddings"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/models": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The models the OpenAI routes answer with: the `[openai] plugin`'s configured `chatModel` and
         *     `embeddingModel`, where the registry holds them ready. Clients that list models before they
         *     chat (Open WebUI, LangChain) find them here; a request's `model` is echoed back, the
         *     configured model answers.
         */
        get: operations["getV1Models"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
};
export type webhooks = Record<string, never>;
export type components = {
    schemas: {
        Ack: {
            action: components["schemas"]["Action"];
            pluginId?: string | null;
            topic: components["schemas"]["Topic"];
        };
        /** @enum {string} */
        Action: "SUB" | "UNSUB";
        /** @description An API key as listed: never its secret. */
        ApiKey: {
            /** Format: date-time */
            createdAt: string;
            enabled: boolean;
            /** Format: date-time */
            expiresAt?: string | null;
            id: string;
            /** Format: date-time */
            lastUsedAt?: string | null;
            name: string;
            /** @description The public start of the key (`bkg_XXXXXXXX`), to recognise it in lists and logs. */
            prefix: string;
            /**
             * Format: date-time
             * @description After a rotation with a grace period: until when the previous secret still works.
             */
            previousValidUntil?: string | null;
            role: components["schemas"]["Role"];
            /**
             * Format: date-time
             * @description When the secret was last rotated (absent: never; the secret is as old as the key).
             */
            rotatedAt?: string | null;
            /** @description When not empty, the key may only do these (within its role). */
            scopes: components["schemas"]["Permission"][];
            /** Format: date-time */
            updatedAt: string;
            userId: string;
            username: string;
        };
        ApiKeyList: {
            keys: components["schemas"]["ApiKey"][];
        };
        /** @description Answer of create (201) and rotate (200): the key and its secret, shown this once. */
        ApiKeySecret: {
            key: components["schemas"]["ApiKey"];
            secret: string;
        };
        /** @description One audit event (a row of `analytics_events` of kind `audit`). Never contains a secret. */
        AuditEvent: {
            /** @description e.g. `auth.login`, `key.create`, `user.update`, `plugin.start`, `model.delete`. */
            action: string;
            /** @description The username (or `key:<prefix>`) that acted; absent for anonymous failures. */
            actor?: string | null;
            details: unknown;
            /** Format: int64 */
            id: number;
            ip?: string | null;
            /** @description `success` or `failure`. */
            outcome: string;
            target?: string | null;
            /** Format: date-time */
            ts: string;
        };
        AuditPage: {
            events: components["schemas"]["AuditEvent"][];
            /**
             * Format: int64
             * @description Pass as `before` for the next (older) page; absent at the end.
             */
            next?: number | null;
        };
        /**
         * @description How a request authenticated.
         * @enum {string}
         */
        AuthMethod: "jwt" | "api_key";
        /**
         * @description Answer of `PUT /api/plugins/{id}/bundle`: the plugin folder was written to the plugins
         *     directory and reloaded.
         */
        BundleInstalled: {
            /** Format: int64 */
            bytes: number;
            /** Format: int64 */
            files: number;
            id: string;
            reload: components["schemas"]["ReloadReport"];
        };
        /** @description `GET /api/plugins/{id}/capabilities` answer. */
        CapabilityList: {
            capabilities: components["schemas"]["CapabilitySpec"][];
        };
        /** @description One capability of a plugin, with the JSON schemas of its input and output. */
        CapabilitySpec: {
            description?: string;
            /** @description JSON schema the daemon validates every invocation's input against. */
            inputSchema?: unknown;
            name: string;
            /** @description JSON schema of the final output (documentation; not enforced). */
            outputSchema?: unknown;
            permission?: components["schemas"]["Permission"] | null;
            /** @description Whether the capability sends partial results before its final result. */
            streaming?: boolean;
        };
        /** @description `POST /auth/password`: a user changes their own password; every earlier token is revoked. */
        ChangePassword: {
            currentPassword: string;
            newPassword: string;
        };
        ChatChoice: {
            /** @description `stop` (end of turn or a stop string) or `length` (`max_tokens` or the context). */
            finish_reason: string;
            /** Format: int32 */
            index: number;
            message: components["schemas"]["ChatMessage"];
        };
        /** @description The answer of a non-streamed chat completion. */
        ChatCompletion: {
            choices: components["schemas"]["ChatChoice"][];
            /**
             * Format: int64
             * @description Unix seconds.
             */
            created: number;
            id: string;
            model: string;
            /** @description `chat.completion` */
            object: string;
            usage: components["schemas"]["Usage"];
        };
        /** @description `POST /v1/chat/completions`. */
        ChatCompletionRequest: {
            /**
             * Format: int32
             * @description OpenAI's newer name for `max_tokens`.
             */
            max_completion_tokens?: number | null;
            /** Format: int32 */
            max_tokens?: number | null;
            messages: components["schemas"]["ChatMessage"][];
            /** @description Echoed back; the llmserver plugin's configured chat model answers. */
            model?: string;
            /**
             * Format: int32
             * @description Only 1 is supported.
             */
            n?: number | null;
            /**
             * Format: int64
             * @description Same seed, same parameters: same answer.
             */
            seed?: number | null;
            stop?: components["schemas"]["OneOrMany"] | null;
            stream?: boolean;
            /**
             * Format: double
             * @description 0 to 2; OpenAI's default is 1.
             */
            temperature?: number | null;
            /** Format: double */
            top_p?: number | null;
        };
        /** @description One message of a conversation. */
        ChatMessage: {
            content: string;
            /** @description `system`, `user` or `assistant`. */
            role: string;
        };
        /** @description Client -> server. */
        ClientMessage: {
            action: components["schemas"]["Action"];
            /**
             * Format: int64
             * @description `logs` only: replay lines with a greater seq before following live.
             */
            cursor?: number | null;
            level?: components["schemas"]["LogLevel"] | null;
            /** @description Limit the subscription to one plugin; all plugins when absent. */
            pluginId?: string | null;
            topic: components["schemas"]["Topic"];
        };
        /** @description Answer of `POST /api/plugins/{id}/config`. */
        ConfigApplied: {
            /** @description How the new config reached the plugin. */
            applied: components["schemas"]["ConfigApplyMode"];
            config: unknown;
        };
        /** @enum {string} */
        ConfigApplyMode: "live" | "swap" | "stored";
        /** @description `POST /admin/api-keys`. */
        CreateApiKey: {
            /** Format: date-time */
            expiresAt?: string | null;
            /** @description 1-100 characters, not only spaces. */
            name: string;
            role?: components["schemas"]["Role"] | null;
            scopes?: components["schemas"]["Permission"][] | null;
            /** @description The owner; only admins may create keys for other users. */
            userId?: string | null;
        };
        /** @description `POST /admin/users`. */
        CreateUser: {
            /** @description At least 12 characters. */
            password: string;
            role: components["schemas"]["Role"];
            /** @description 1-64 of a-z, 0-9, `.`, `_`, `-`, `@`. */
            username: string;
        };
        /**
         * @description What the operator asked for; persisted so a restarted daemon brings back running plugins.
         * @enum {string}
         */
        DesiredState: "running" | "stopped";
        /** @description Answer (202) of a download request. */
        DownloadAccepted: {
            /**
             * @description False when the same repo and revision was already registered or downloading: no second
             *     download was started.
             */
            created: boolean;
            /** @description The download job; follow it on the `models` WebSocket topic or by polling the model. */
            job: string;
            model: components["schemas"]["Model"];
        };
        /** @description `POST /api/models/download`. */
        DownloadRequest: {
            /** @description Globs of the files to fetch (`*.safetensors`, `tokenizer.json`); every file when absent. */
            files?: string[] | null;
            /** @description `org/name` on the hub. */
            repo: string;
            /** @description Branch, tag or commit; `main` when absent. */
            revision?: string | null;
        };
        /**
         * @description Answer of `GET /admin/config`: the configuration after every layer (defaults, file, `BKG_*`
         *     environment, flags), read-only, with every secret replaced by `***`.
         */
        EffectiveConfig: {
            /** @description The settings as `bkgd config show` prints them, as JSON (keys as in the TOML file). */
            config: Record<string, never>;
            /** @description `sqlite` or `postgres`. */
            databaseBackend: string;
            /** @description The daemon's version. */
            version: string;
        };
        Embedding: {
            embedding: components["schemas"]["EmbeddingVector"];
            /** Format: int32 */
            index: number;
            /** @description `embedding` */
            object: string;
        };
        /** @description `POST /v1/embeddings`. */
        EmbeddingRequest: {
            /** @description `float` (default) or `base64` (little-endian f32, as OpenAI's clients request). */
            encoding_format?: string | null;
            input: components["schemas"]["OneOrMany"];
            model?: string;
        };
        EmbeddingResponse: {
            data: components["schemas"]["Embedding"][];
            model: string;
            /** @description `list` */
            object: string;
            usage: components["schemas"]["Usage"];
        };
        /** @description A vector as floats, or base64 of its little-endian f32 bytes. */
        EmbeddingVector: number[] | string;
        /**
         * @description The body of every error answer: `{"code": "...", "message": "..."}` plus optional details
         *     (for a schema violation: the JSON pointer of the offending value).
         */
        ErrorBody: {
            code: components["schemas"]["ErrorCode"];
            details?: unknown;
            message: string;
        };
        /**
         * @description Every error code the API can answer with.
         * @enum {string}
         */
        ErrorCode: "invalid_json" | "invalid_request" | "schema_violation" | "payload_too_large" | "not_found" | "plugin_not_found" | "capability_not_found" | "plugin_not_running" | "conflict" | "plugin_start_failed" | "invalid_input" | "plugin_error" | "plugin_crashed" | "cancelled" | "timeout" | "method_not_allowed" | "unauthorized" | "forbidden" | "path_not_allowed" | "rate_limited" | "unavailable" | "upstream_error" | "storage_full" | "internal";
        /** @description How the last process of a plugin ended. */
        ExitInfo: {
            /** Format: date-time */
            at: string;
            /**
             * Format: int32
             * @description Exit code, when the process exited on its own.
             */
            code?: number | null;
            /**
             * Format: int64
             * @description Run number of the process that ended.
             */
            run: number;
            /**
             * Format: int32
             * @description Signal number, when a signal ended it.
             */
            signal?: number | null;
        };
        /** @description `GET /healthz` (the process is up) and `GET /readyz` (store reachable, supervisor running). */
        Health: {
            checks?: components["schemas"]["HealthCheck"][];
            /**
             * @description The commit the daemon was built from (`unknown` when built outside a git checkout
             *     without `BKG_COMMIT`); empty from daemons before 0.2.0.
             */
            commit?: string;
            status: string;
            version: string;
        };
        HealthCheck: {
            message?: string | null;
            name: string;
            ok: boolean;
        };
        /** @description `POST /api/models/import`: registers a model from a folder on the daemon's machine. */
        ImportRequest: {
            /** @description Folder on the daemon's machine holding the model's files. */
            path: string;
            /** @description Name to register it under (`org/name`); `local/<folder name>` when absent. */
            repo?: string | null;
            revision?: string | null;
        };
        /**
         * @description One line of a streamed invocation (`application/x-ndjson`); as SSE, the variant name is the
         *     event name and the payload its data.
         */
        InvokeEvent: {
            chunk: unknown;
        } | {
            result: unknown;
        } | {
            error: components["schemas"]["ErrorBody"];
        };
        /** @description Answer of a non-streaming invocation. */
        InvokeResponse: {
            /** Format: double */
            durationMs: number;
            output: unknown;
            /**
             * Format: int64
             * @description Run number of the instance that answered.
             */
            run: number;
        };
        Lagged: {
            /**
             * Format: int64
             * @description For `logs`: the seq of the last line dropped, so a client can backfill the hole.
             */
            lastMissedSeq?: number | null;
            /** Format: int64 */
            missed: number;
        };
        /** @description Latency percentiles over the sampling window, in milliseconds. */
        Latency: {
            /** Format: double */
            max: number;
            /** Format: double */
            p50: number;
            /** Format: double */
            p90: number;
            /** Format: double */
            p99: number;
        };
        /**
         * @description How long an invocation took, in coarse buckets (rollups keep counts, not durations).
         * @enum {string}
         */
        LatencyBucket: "lt10ms" | "lt100ms" | "lt1s" | "lt10s" | "ge10s";
        /** @description Answer of the lifecycle endpoints (`start`, `stop`, `restart`). */
        LifecycleResponse: {
            action: string;
            id: string;
            status: components["schemas"]["PluginStatus"];
        };
        /** @description `POST /auth/login`. */
        LoginRequest: {
            password: string;
            username: string;
        };
        /** @enum {string} */
        LogLevel: "trace" | "debug" | "info" | "warn" | "error";
        /** @description One log line of a plugin (or of the daemon about a plugin, with `stream: "daemon"`). */
        LogLine: {
            /** @description Extra fields of a JSON log line, if any. */
            fields?: unknown;
            id: string;
            level: components["schemas"]["LogLevel"];
            message: string;
            /**
             * Format: int64
             * @description Run number of the process that wrote the line.
             */
            run: number;
            /**
             * Format: int64
             * @description Daemon-wide monotonic sequence number; the cursor for backfill and follow.
             */
            seq: number;
            /**
             * Format: date-time
             * @description When the daemon read the line.
             */
            ts: string;
        };
        /** @description `POST /auth/logout`: ends the session of the token used; `all` ends every session of the user. */
        LogoutRequest: {
            all?: boolean;
        };
        /** @description Answer of the log backfill. */
        LogPage: {
            /**
             * Format: int64
             * @description Pass to the `logs` WebSocket subscription (or as `cursor` here) to continue after this
             *     page without a gap: the highest seq the daemon had assigned when it answered.
             */
            cursor: number;
            lines: components["schemas"]["LogLine"][];
            /**
             * @description True when more matching lines exist beyond this page (older than the tail, or after
             *     a cursor page's limit); with `tail=0`, when the plugin has earlier lines.
             */
            truncated: boolean;
        };
        /** @description `GET /auth/me`. */
        Me: {
            keyId?: string | null;
            method: components["schemas"]["AuthMethod"];
            permissions: components["schemas"]["Permission"][];
            /** @description The effective role: the user's, or the API key's (never more than its owner's). */
            role: components["schemas"]["Role"];
            sessionId?: string | null;
            user: components["schemas"]["User"];
        };
        /** @description A registry entry: `GET /api/models/{id}`. */
        Model: {
            /** @description The commit the revision resolved to. */
            commit?: string | null;
            /** Format: date-time */
            createdAt: string;
            /** @description Why the model is `failed` or `invalid`. */
            error?: string | null;
            files: components["schemas"]["ModelFile"][];
            id: string;
            /** Format: date-time */
            lastValidatedAt?: string | null;
            /** @description Local folder with the model's files (the hub cache's snapshot folder), once ready. */
            path?: string | null;
            /** @description Problems found by the last validation. */
            problems: string[];
            progress: components["schemas"]["Progress"];
            /** @description `org/name` on the hub, or the name given at import. */
            repo: string;
            /** @description The revision asked for (branch, tag or commit). */
            revision: string;
            source: components["schemas"]["ModelSource"];
            status: components["schemas"]["ModelStatus"];
            /** Format: int64 */
            totalBytes: number;
            /** Format: date-time */
            updatedAt: string;
            /** @description Plugins currently using the model. */
            usedBy: string[];
        };
        /** @description A model event on the `models` WebSocket topic: status and progress, throttled. */
        ModelEvent: {
            error?: string | null;
            id: string;
            progress: components["schemas"]["Progress"];
            repo: string;
            status: components["schemas"]["ModelStatus"];
        };
        /** @description One file of a model. */
        ModelFile: {
            /**
             * Format: int64
             * @description Bytes on disk so far.
             */
            done: number;
            /** @description Path inside the repository, e.g. `model.safetensors` or `onnx/model.onnx`. */
            path: string;
            /** @description Expected SHA-256 (hex), from the hub's metadata or computed at import. */
            sha256?: string | null;
            /** Format: int64 */
            size: number;
            /** @description The file's bytes matched `sha256`. */
            verified: boolean;
        };
        ModelList: {
            models: components["schemas"]["Model"][];
        };
        /** @description One entry of `GET /v1/models`. */
        ModelObject: {
            /**
             * Format: int64
             * @description When the model entered bkg's registry, in Unix seconds.
             */
            created: number;
            /** @description The name the `[openai] plugin` is configured with (its `chatModel`, `embeddingModel`). */
            id: string;
            /** @description Always `model`. */
            object: string;
            owned_by: string;
        };
        /**
         * @description How a model got into the registry.
         * @enum {string}
         */
        ModelSource: "hub" | "import";
        /**
         * @description Where a model is in its life. Only `ready` models may be used by plugins.
         * @enum {string}
         */
        ModelStatus: "queued" | "downloading" | "verifying" | "ready" | "invalid" | "failed";
        /** @description One node of `GET /api/nodes`. */
        NodeInfo: {
            commit: string;
            /** @description The node that answered this request. */
            current: boolean;
            /** @description Stable across restarts (kept in the node's data dir). */
            id: string;
            /**
             * Format: date-time
             * @description Its last heartbeat (now, for the node answering).
             */
            lastSeen: string;
            name: string;
            /** @description Its plugins: live for the node answering, as last reported for the others. */
            plugins: components["schemas"]["PluginSummary"][];
            /** Format: date-time */
            startedAt: string;
            state: components["schemas"]["NodeState"];
            /** @description Where clients reach it. */
            url: string;
            version: string;
        };
        /** @description `GET /api/nodes` answer, by name. */
        NodeList: {
            nodes: components["schemas"]["NodeInfo"][];
        };
        /**
         * @description Whether a node is serving.
         * @enum {string}
         */
        NodeState: "up" | "down" | "stopped";
        /** @description A string or a list of strings (`stop`, `input`). */
        OneOrMany: string | string[];
        /**
         * @description An error on `/v1/…`, shaped as OpenAI answers one, so OpenAI clients fill in their error's
         *     `message`, `type` and `code`. `code` is bkg's stable error code (`invalid_request`,
         *     `unauthorized`, …), the same one the `/api` routes answer with.
         */
        OpenAiError: {
            error: components["schemas"]["OpenAiErrorDetail"];
        };
        OpenAiErrorDetail: {
            code?: string | null;
            message: string;
            /** @description The request field at fault; bkg names it in `message` and leaves this null. */
            param?: string | null;
            /**
             * @description OpenAI's error class for the HTTP status: `invalid_request_error`,
             *     `authentication_error`, `permission_error`, `not_found_error`, `rate_limit_error` or
             *     `server_error`.
             */
            type: string;
        };
        /**
         * @description What a request may do. Every route of the API requires exactly one (or none, for the few
         *     public ones: health, readiness, login, refresh, the OpenAPI document).
         * @enum {string}
         */
        Permission: "plugins:read" | "plugins:lifecycle" | "plugins:invoke" | "plugins:configure" | "plugins:admin" | "models:read" | "models:write" | "models:import" | "documents:read" | "documents:write" | "analytics:read" | "keys:own" | "keys:all" | "users:read" | "users:write" | "audit:read" | "config:read";
        /**
         * @description `GET /api/plugins/{id}` answer: the manifest as resolved, the live status, the capabilities
         *     and the effective config.
         */
        PluginDetail: {
            capabilities: components["schemas"]["CapabilitySpec"][];
            command: string[];
            config: unknown;
            configSchema: unknown;
            description: string;
            /** @description Protocol features the running instance announced in its hello. */
            features: string[];
            id: string;
            name: string;
            restart: components["schemas"]["RestartPolicy"];
            /** @description Version the running instance reported in its hello. */
            runningVersion?: string | null;
            runtime?: components["schemas"]["RuntimeStatus"] | null;
            source: components["schemas"]["PluginSource"];
            status: components["schemas"]["PluginStatus"];
            timeouts: components["schemas"]["Timeouts"];
            version: string;
        };
        /** @description `GET /api/plugins` answer. */
        PluginList: {
            plugins: components["schemas"]["PluginSummary"][];
        };
        /**
         * @description Where a manifest came from.
         * @enum {string}
         */
        PluginSource: "builtin" | "user";
        /**
         * @description The lifecycle state of one plugin.
         *
         *     `Starting` becomes `Running` only after the protocol handshake completed; `Backoff` waits for
         *     the next automatic restart; `Failed` means the restart policy gave up (a crash loop) or the
         *     plugin could not be started at all.
         * @enum {string}
         */
        PluginState: "stopped" | "starting" | "running" | "stopping" | "backoff" | "failed";
        /**
         * @description The live status of one plugin: what `GET /api/plugins/{id}/status` answers and what the
         *     `status` WebSocket topic carries.
         */
        PluginStatus: {
            desired: components["schemas"]["DesiredState"];
            id: string;
            lastExit?: components["schemas"]["ExitInfo"] | null;
            /**
             * Format: date-time
             * @description When the next automatic restart happens, in `backoff`.
             */
            nextRetryAt?: string | null;
            /**
             * Format: int32
             * @description Pid of the current process (the process group leader), while one exists.
             */
            pid?: number | null;
            /** @description Why the plugin is in its state (e.g. "exited with code 3", "handshake timed out"). */
            reason?: string | null;
            /**
             * Format: int64
             * @description Automatic restarts after failures since the operator last started the plugin.
             */
            restarts: number;
            /**
             * Format: int64
             * @description Run number of the current (or last) process; increases with every spawn.
             */
            run: number;
            /**
             * Format: date-time
             * @description When the plugin entered its current state.
             */
            since: string;
            status: components["schemas"]["PluginState"];
            /**
             * Format: int64
             * @description Seconds since the current process became `running`; 0 otherwise.
             */
            uptime: number;
        };
        /** @description One row of `GET /api/plugins`. */
        PluginSummary: {
            description: string;
            id: string;
            name: string;
            /** @description The node (bkgd) running it, by name; plugins run per node (`GET /api/nodes`). */
            node?: string;
            /** Format: int32 */
            pid?: number | null;
            /** Format: int64 */
            restarts: number;
            source: components["schemas"]["PluginSource"];
            status: components["schemas"]["PluginState"];
            /** Format: int64 */
            uptime: number;
            version: string;
        };
        /** @description Download progress. */
        Progress: {
            /** Format: int64 */
            bytesDone: number;
            /** Format: int64 */
            bytesTotal: number;
            /**
             * Format: double
             * @description Seconds left at the current rate, while downloading.
             */
            etaSeconds?: number | null;
            /**
             * Format: double
             * @description Bytes per second over the last seconds.
             */
            rate: number;
        };
        /** @description `POST /auth/refresh`. */
        RefreshRequest: {
            refreshToken: string;
        };
        /** @description Answer of `POST /api/plugins/reload`: what changed in the plugins directory. */
        ReloadReport: {
            /** @description New plugins (stopped, unless their manifest says `autostart`). */
            added: string[];
            /** @description Running plugins whose manifest changed or is gone: untouched; reload again once stopped. */
            deferred: string[];
            /** @description Manifests that could not be loaded, with the reason. */
            errors: string[];
            /** @description Stopped plugins whose manifest is gone. */
            removed: string[];
            unchanged: string[];
            /** @description Stopped plugins whose manifest changed, now with the new one. */
            updated: string[];
        };
        /**
         * @description When to restart a plugin whose process ended without being asked to.
         * @enum {string}
         */
        RestartMode: "never" | "on-failure" | "always";
        /**
         * @description Restart policy of a plugin: exponential backoff with a cap and jitter; a run shorter than
         *     `stable_after_ms` counts as a fast failure, and `max_fast_failures` of them in a row give up
         *     to `failed`. A stable run resets both the backoff and the count.
         */
        RestartPolicy: {
            /**
             * Format: int64
             * @default 500
             */
            initialBackoffMs: number;
            /**
             * Format: double
             * @description Fraction of the delay added or removed at random, 0.0..=1.0.
             * @default 0.2
             */
            jitter: number;
            /**
             * Format: int64
             * @default 30000
             */
            maxBackoffMs: number;
            /**
             * Format: int32
             * @default 5
             */
            maxFastFailures: number;
            /** @default on-failure */
            mode: components["schemas"]["RestartMode"];
            /**
             * Format: double
             * @default 2
             */
            multiplier: number;
            /**
             * Format: int64
             * @default 10000
             */
            stableAfterMs: number;
        };
        /**
         * @description A user's (or an API key's) role.
         * @enum {string}
         */
        Role: "readonly" | "developer" | "admin";
        /** @description `POST /admin/api-keys/{id}/rotate`. */
        RotateApiKey: {
            /**
             * Format: int64
             * @description How long the previous secret keeps working, at most 7 days (0 or absent: it stops at once).
             */
            gracePeriodSeconds?: number | null;
        };
        /**
         * @description The language runtime a plugin needs installed before it can start.
         * @enum {string}
         */
        RuntimeKind: "python" | "node";
        /**
         * @description Where a plugin's runtime stands.
         * @enum {string}
         */
        RuntimeState: "not_installed" | "installing" | "installed" | "outdated" | "failed";
        /** @description The runtime of one plugin, in `GET /api/plugins/{id}` and the answer of an install. */
        RuntimeStatus: {
            /** Format: date-time */
            installedAt?: string | null;
            kind: components["schemas"]["RuntimeKind"];
            /** @description Why an install failed: the installer's last lines. */
            message?: string | null;
            state: components["schemas"]["RuntimeState"];
        };
        /** @description Server -> client. */
        ServerMessage: (components["schemas"]["PluginStatus"] & {
            /** @enum {string} */
            type: "status";
        }) | (components["schemas"]["LogLine"] & {
            /** @enum {string} */
            type: "logs";
        }) | (components["schemas"]["TelemetrySample"] & {
            /** @enum {string} */
            type: "telemetry";
        }) | (components["schemas"]["ModelEvent"] & {
            /** @enum {string} */
            type: "model";
        }) | (components["schemas"]["Ack"] & {
            /** @enum {string} */
            type: "ack";
        }) | (components["schemas"]["Lagged"] & {
            /** @enum {string} */
            type: "lagged";
        }) | (components["schemas"]["ErrorBody"] & {
            /** @enum {string} */
            type: "error";
        });
        /** @description One login session of the caller (`GET /auth/sessions`): a refresh-token family. */
        SessionInfo: {
            /** Format: date-time */
            createdAt: string;
            /** @description Whether this is the session of the token making the request. */
            current: boolean;
            /** Format: date-time */
            expiresAt: string;
            id: string;
            /** @description The client address the login came from. */
            ip?: string | null;
        };
        /** @description The caller's live sessions, newest first. */
        SessionList: {
            sessions: components["schemas"]["SessionInfo"][];
        };
        /** @description Answer of `GET /api/plugins/{id}/telemetry`: recent history, oldest first. */
        TelemetryHistory: {
            samples: components["schemas"]["TelemetrySample"][];
        };
        /** @description One sample of one plugin: what the `telemetry` WebSocket topic carries. */
        TelemetrySample: {
            /**
             * Format: double
             * @description CPU use of the whole process tree, percent of one core.
             */
            cpu: number;
            id: string;
            /**
             * Format: int64
             * @description Resident memory of the whole process tree, bytes.
             */
            mem: number;
            /**
             * Format: int32
             * @description Number of processes in the tree.
             */
            processes: number;
            /** Format: int64 */
            restarts: number;
            throughput: components["schemas"]["Throughput"];
            /** Format: date-time */
            ts: string;
            /** Format: int64 */
            uptime: number;
        };
        Throughput: {
            /** @description Counters the plugin reported itself (e.g. `tokens_per_s`). */
            counters: {
                [key: string]: number;
            };
            /**
             * Format: int64
             * @description Invocations that ended in an error since the daemon started.
             */
            errorsTotal: number;
            /** Format: int64 */
            inFlight: number;
            /**
             * Format: double
             * @description Invocations completed per second over the last window.
             */
            invocationsPerSec: number;
            /**
             * Format: int64
             * @description Invocations completed since the daemon started.
             */
            invocationsTotal: number;
            latencyMs: components["schemas"]["Latency"];
        };
        /** @description Per-plugin timeouts. */
        Timeouts: {
            /**
             * Format: int64
             * @description How long a hot swap waits for in-flight calls on the old instance to finish.
             * @default 30000
             */
            drainMs: number;
            /**
             * Format: int64
             * @description How long a new process may take to complete the hello handshake.
             * @default 10000
             */
            handshakeMs: number;
            /**
             * Format: int64
             * @description How long one invocation may take before the daemon gives up on it (0 = no limit).
             * @default 600000
             */
            invokeMs: number;
            /**
             * Format: int64
             * @description How long after SIGTERM the group gets SIGKILL.
             * @default 5000
             */
            stopMs: number;
        };
        /** @description Answer of login and refresh: a short-lived JWT and an opaque refresh token. */
        TokenPair: {
            accessToken: string;
            /**
             * Format: int64
             * @description Seconds until the access token expires.
             */
            expiresIn: number;
            /** Format: int64 */
            refreshExpiresIn: number;
            /** @description Opaque; rotated on every use; presenting a used one revokes its whole family. */
            refreshToken: string;
            /** @description Always `Bearer`. */
            tokenType: string;
        };
        /** @enum {string} */
        Topic: "status" | "logs" | "telemetry" | "models";
        /**
         * @description `PUT|PATCH /admin/api-keys/{id}`: only the given fields change (`expiresAt: null` clears the
         *     expiry).
         */
        UpdateApiKey: {
            enabled?: boolean | null;
            /** Format: date-time */
            expiresAt?: string | null;
            name?: string | null;
            role?: components["schemas"]["Role"] | null;
            scopes?: components["schemas"]["Permission"][] | null;
        };
        /** @description `PUT /admin/users/{id}`: only the given fields change. */
        UpdateUser: {
            disabled?: boolean | null;
            password?: string | null;
            role?: components["schemas"]["Role"] | null;
        };
        Usage: {
            /** Format: int64 */
            completion_tokens?: number;
            /** Format: int64 */
            prompt_tokens: number;
            /** Format: int64 */
            total_tokens: number;
        };
        /**
         * @description The width of the answer's time buckets.
         * @enum {string}
         */
        UsageInterval: "hour" | "day";
        /**
         * @description What a usage row counts.
         * @enum {string}
         */
        UsageMetric: "invocations" | "tokens" | "embeddings" | "model_downloads" | "logins";
        /** @description One bucket of one series: how many of `metric` happened in `[ts, ts + interval)`. */
        UsagePoint: {
            /** @description The capability, for invocations, tokens and embeddings. */
            capability?: string | null;
            /** Format: int64 */
            count: number;
            latency?: components["schemas"]["LatencyBucket"] | null;
            metric: components["schemas"]["UsageMetric"];
            /** @description `success` or `failure`, for invocations, downloads and logins. */
            outcome?: string | null;
            /** @description The plugin, for invocations, tokens and embeddings; absent otherwise. */
            plugin?: string | null;
            /**
             * Format: date-time
             * @description Start of the bucket (UTC).
             */
            ts: string;
        };
        /** @description Answer of `GET /api/analytics/usage`, oldest bucket first. */
        UsageReport: {
            interval: components["schemas"]["UsageInterval"];
            points: components["schemas"]["UsagePoint"][];
            /**
             * Format: int32
             * @description How many days of rollups the daemon keeps (`analytics.retention_days`).
             */
            retentionDays: number;
            /** Format: date-time */
            since: string;
            /** Format: date-time */
            until: string;
        };
        User: {
            /** Format: date-time */
            createdAt: string;
            disabled: boolean;
            id: string;
            role: components["schemas"]["Role"];
            /** Format: date-time */
            updatedAt: string;
            username: string;
        };
        UserList: {
            users: components["schemas"]["User"][];
        };
        /** @description Answer of `POST /api/models/{id}/validate`. */
        ValidationReport: {
            model: components["schemas"]["Model"];
            ok: boolean;
            problems: string[];
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
};
export type $defs = Record<string, never>;
export interface operations {
    getAdminApiKeys: {
        parameters: {
            query?: {
                /** @description Admins: only this user's keys. */
                userId?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyList"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    postAdminApiKeys: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateApiKey"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeySecret"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    putAdminApiKeysId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateApiKey"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKey"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    deleteAdminApiKeysId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    patchAdminApiKeysId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateApiKey"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKey"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    postAdminApiKeysIdRotate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        /** @description optional */
        requestBody?: {
            content: {
                "application/json": components["schemas"]["RotateApiKey"] | null;
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeySecret"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    getAdminAudit: {
        parameters: {
            query?: {
                /** @description An action, or a prefix ending in `.` (`key.` matches every key event). */
                action?: string;
                actor?: string;
                /** @description Only events older than this id (the `next` of the previous page). */
                before?: number;
                /** @description Newest first; at most this many (default 100, max 1000). */
                limit?: number;
                /** @description RFC 3339 or an age like `24h`. */
                since?: string;
                target?: string;
                until?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditPage"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    getAdminConfig: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EffectiveConfig"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    getAdminUsers: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserList"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    postAdminUsers: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateUser"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    putAdminUsersId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateUser"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    deleteAdminUsersId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    getApiAnalyticsUsage: {
        parameters: {
            query?: {
                /** @description Bucket width of the answer: `hour` (default) or `day` (UTC days). */
                interval?: components["schemas"]["UsageInterval"];
                /** @description Only this metric. */
                metric?: components["schemas"]["UsageMetric"];
                /** @description Only this plugin's rows. */
                plugin?: string;
                /** @description RFC 3339 or an age like `24h` or `7d` (default `24h`). */
                since?: string;
                /** @description RFC 3339 or an age; default now. */
                until?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UsageReport"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    getApiModels: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ModelList"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    getApiModelsId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Model"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    deleteApiModelsId: {
        parameters: {
            query?: {
                /** @description Delete even while a running plugin uses the model. */
                force?: boolean;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    postApiModelsIdValidate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        /** @description Empty, or `{}` */
        requestBody?: {
            content: {
                "application/json": Record<string, never> | null;
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationReport"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    postApiModelsDownload: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["DownloadRequest"];
            };
        };
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DownloadAccepted"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The hub has no such repo or revision */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The hub failed or cannot be reached */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    postApiModelsImport: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ImportRequest"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Model"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    getApiNodes: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NodeList"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    getApiOpenapiJson: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
        };
    };
    getApiPlugins: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PluginList"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    getApiPluginsId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PluginDetail"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    putApiPluginsIdBundle: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-tar": number[];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BundleInstalled"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    getApiPluginsIdCapabilities: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CapabilityList"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    postApiPluginsIdConfig: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": Record<string, never>;
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConfigApplied"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    postApiPluginsIdInstall: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Installed; with Accept: application/x-ndjson a stream of InstallEvent */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RuntimeStatus"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No [runtime], the plugin is running, or an install is running */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The installer failed; the message has its last lines */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    postApiPluginsIdInvokeCapability: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                capability: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": Record<string, never>;
            };
        };
        responses: {
            /** @description The final result; with Accept: application/x-ndjson or text/event-stream, a stream of InvokeEvent */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InvokeResponse"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    getApiPluginsIdLogs: {
        parameters: {
            query?: {
                /** @description Only lines after this cursor (a `seq`); pages forward from there instead of taking the tail. */
                cursor?: number;
                /** @description Only lines at this level or above. */
                level?: components["schemas"]["LogLevel"];
                /** @description Only lines whose message contains this substring (case-insensitive). */
                q?: string;
                /** @description Only lines at or after this time: RFC 3339 (`2026-11-25T10:00:00Z`) or an age (`90s`, `5m`, `2h`). */
                since?: string;
                /**
                 * @description Return at most the last `tail` matching lines (default 200, max 10000). `0` returns no
                 *     lines, only the cursor, to follow just what comes next (not with `cursor`).
                 */
                tail?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LogPage"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    postApiPluginsIdRestart: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LifecycleResponse"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    postApiPluginsIdStart: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LifecycleResponse"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    getApiPluginsIdStatus: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PluginStatus"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    postApiPluginsIdStop: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LifecycleResponse"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    getApiPluginsIdTelemetry: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TelemetryHistory"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    postApiPluginsReload: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReloadReport"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    postAuthLogin: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LoginRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenPair"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    postAuthLogout: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description optional */
        requestBody?: {
            content: {
                "application/json": components["schemas"]["LogoutRequest"] | null;
            };
        };
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    getAuthMe: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Me"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    postAuthPassword: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ChangePassword"];
            };
        };
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    postAuthRefresh: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RefreshRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenPair"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    getAuthSessions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionList"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    deleteAuthSessionsId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    getHealthz: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
        };
    };
    getMetrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    getReadyz: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
        };
    };
    postV1ChatCompletions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ChatCompletionRequest"];
            };
        };
        responses: {
            /** @description With stream: true, text/event-stream of ChatCompletionChunk */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChatCompletion"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiError"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiError"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiError"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiError"];
                };
            };
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiError"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiError"];
                };
            };
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiError"];
                };
            };
        };
    };
    postV1Embeddings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EmbeddingRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EmbeddingResponse"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiError"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiError"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiError"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiError"];
                };
            };
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiError"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiError"];
                };
            };
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiError"];
                };
            };
        };
    };
    getV1Models: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ModelList"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiError"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiError"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiError"];
                };
            };
        };
    };
}
