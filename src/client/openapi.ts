// Generated from the service's OpenAPI document by scripts/generate-client-types.ts: do not edit.
export interface paths {
    "/api/v1/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Whether the service and its store can be used */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/health/live": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness: the process serves requests */
        get: operations["getLiveness"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/health/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Readiness: the store can be used */
        get: operations["getReadiness"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller’s live sessions */
        get: operations["listSessions"];
        put?: never;
        /** Start a session */
        post: operations["createSession"];
        /** Delete all of the caller’s sessions, with their windows and checkpoints */
        delete: operations["deleteSessions"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sessions/{session_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A session and its remaining lifetime */
        get: operations["getSession"];
        put?: never;
        post?: never;
        /** Delete a session with its window and checkpoints */
        delete: operations["deleteSession"];
        options?: never;
        head?: never;
        /**
         * Change the session’s metadata with a JSON Merge Patch (RFC 7386), atomically
         * @description Members of `metadata` set to null are removed, objects merge member by member, anything else replaces the member; concurrent patches of different members all land. The session’s TTL is unchanged. Send Content-Type: application/merge-patch+json (or application/json).
         */
        patch: operations["patchSession"];
        trace?: never;
    };
    "/api/v1/sessions/{session_id}/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Extend a session to the full session TTL */
        post: operations["refreshSession"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sessions/{session_id}/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The window, oldest message first */
        get: operations["getMessages"];
        put?: never;
        /** Append a message; past the token budget the oldest units (a message, or an assistant message with its tool results) are evicted */
        post: operations["appendMessage"];
        /** Clear the window (its messages, summary and eviction buffer), keeping the session */
        delete: operations["clearMessages"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sessions/{session_id}/turns": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Append a turn (e.g. an assistant message with tool calls and their results) in order, all or nothing */
        post: operations["appendTurn"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sessions/{session_id}/messages/{message_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete one message; a message of a tool-calling unit takes its whole unit (the assistant message and its results) */
        delete: operations["deleteMessage"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sessions/{session_id}/context": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** What to send a model: the system messages, the running summary, then the recent turns, within the budget */
        get: operations["getContext"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sessions/{session_id}/evicted": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The running summary and the evicted messages it does not cover yet: a summarizer’s input */
        get: operations["getEvicted"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sessions/{session_id}/summary": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Commit a running summary covering the evicted messages up to through_id, atomically and only over what was read */
        post: operations["commitSummary"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sessions/{session_id}/checkpoints": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The session’s checkpoints, oldest first */
        get: operations["listCheckpoints"];
        put?: never;
        /**
         * Save the window as a checkpoint
         * @description A session keeps its 20 newest checkpoints (saving a 21st drops the oldest), each for LONG_TERM_TTL (a day).
         */
        post: operations["createCheckpoint"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sessions/{session_id}/restore": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Replace the window with a checkpoint, in one step */
        post: operations["restoreCheckpoint"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tasks/{task_id}/result": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a task result, leaving it in place */
        get: operations["peekTaskResult"];
        /** Store a task result (replacing any earlier one) */
        put: operations["putTaskResult"];
        post?: never;
        /**
         * Claim a task result: read and remove it in one step
         * @description Of concurrent claimers exactly one receives the result. Send an Idempotency-Key: a claim whose answer was lost (504, or no answer) retried with the same key receives the same result, and every other claimer gets 404. Without a key, a claim that answered 504 may have consumed the result, which is then gone.
         */
        delete: operations["takeTaskResult"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description One thing wrong with the request */
        ErrorDetail: {
            /** @description What was wrong: a field (`content`, `metadata.channel`), a parameter, a header, or `body` */
            field: string;
            /** @description What is wrong with it and what is allowed */
            message: string;
            /**
             * @description Where the field is
             * @enum {string}
             */
            location?: "body" | "params" | "querystring" | "headers";
            /** @description The values the field accepts, when they are few */
            allowed?: string[];
        };
        /** @description The one shape of every error the service answers */
        Error: {
            error: {
                /**
                 * @description Stable, machine-readable; the HTTP status follows from it
                 * @enum {string}
                 */
                code: "VALIDATION_ERROR" | "UNAUTHORIZED" | "NOT_FOUND" | "METHOD_NOT_ALLOWED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "CAPACITY_EXCEEDED" | "CONFLICT" | "IDEMPOTENCY_KEY_REUSED" | "HEADERS_TOO_LARGE" | "REQUEST_TIMEOUT" | "RATE_LIMIT_EXCEEDED" | "SERVICE_UNAVAILABLE" | "OUTCOME_UNKNOWN" | "INTERNAL_ERROR";
                /** @description For people: what went wrong and what to do */
                message: string;
                /** @description Each problem with the request (400 and 422 only) */
                details?: components["schemas"]["ErrorDetail"][];
                /** @description Also in the X-Request-ID header; quote it when reporting a problem */
                request_id: string;
            };
        };
        /**
         * @description healthy; unhealthy (unreachable); not_initialized; error
         * @enum {string}
         */
        RedisStatus: "healthy" | "unhealthy" | "not_initialized" | "error";
        Health: {
            /** @enum {string} */
            status: "ok" | "degraded";
            environment: string;
            version: string;
            redis_status: components["schemas"]["RedisStatus"];
            /**
             * @description What backs the service: a Redis server or the embedded in-memory store
             * @enum {string}
             */
            store: "redis" | "memory";
        };
        Liveness: {
            /** @enum {string} */
            status: "ok";
        };
        Readiness: {
            /** @enum {string} */
            status: "ready" | "not_ready";
            redis_status: components["schemas"]["RedisStatus"];
        };
        /**
         * @description The encoding a session’s window counts tokens in: cl100k_base (GPT-4, GPT-3.5) or o200k_base (GPT-4o, o1 and later). Chosen per session at creation; a session created without one uses TOKEN_ENCODING
         * @enum {string}
         */
        TokenEncoding: "cl100k_base" | "o200k_base";
        CreateSession: {
            /** @description The agent the session belongs to: 1 to 128 letters, digits, '_', '-' or '.', and not "." or ".." */
            agent_id: string;
            /** @description Any JSON object, at most 16384 bytes (16 KiB) as JSON */
            metadata?: {
                [key: string]: unknown;
            };
            token_encoding?: components["schemas"]["TokenEncoding"];
        };
        Session: {
            session_id: string;
            user_id: string;
            agent_id: string;
            /** @description The session’s working data: what it was created with, as patched since */
            metadata: {
                [key: string]: unknown;
            };
            token_encoding: components["schemas"]["TokenEncoding"];
            /** Format: date-time */
            created_at: string;
            /** @description Seconds until the session expires unless refreshed (a new or refreshed session lives SESSION_TTL, an hour by default) */
            expires_in: number;
        };
        /** @description A JSON Merge Patch (RFC 7386) of the session: metadata is the one member it may change */
        SessionPatch: {
            /** @description A JSON Merge Patch (RFC 7386) of the metadata: a member set to null is removed, an object merges into an object member by member, anything else (an array too) replaces the member. At most 32768 bytes as JSON and 32 objects deep; the metadata after the merge must be at most 16384 bytes (16 KiB), or nothing changes (422 CAPACITY_EXCEEDED) */
            metadata?: {
                [key: string]: unknown;
            };
        };
        SessionList: {
            sessions: components["schemas"]["Session"][];
        };
        DeletedSessions: {
            /** @description Live sessions deleted */
            deleted: number;
        };
        /**
         * @description Who wrote a message: system, user, assistant, tool
         * @enum {string}
         */
        MessageRole: "system" | "user" | "assistant" | "tool";
        /** @description Text, counted as tokens */
        TextPart: {
            /** @enum {string} */
            type: "text";
            text: string;
        };
        /** @description An image by URL. User messages only; not counted as tokens */
        ImageUrlPart: {
            /** @enum {string} */
            type: "image_url";
            image_url: {
                /** @description An http(s) URL, or a data:image/… URL (it counts toward the message size) */
                url: string;
                /** @enum {string} */
                detail?: "auto" | "low" | "high";
            };
        };
        /** @description A file or image by reference. User messages only; not counted as tokens */
        FilePart: {
            /** @enum {string} */
            type: "file";
            file: {
                file_id: string;
                filename?: string;
            };
        };
        /** @description text, image_url, file */
        ContentPart: components["schemas"]["TextPart"] | components["schemas"]["ImageUrlPart"] | components["schemas"]["FilePart"];
        /** @description A call an assistant message asks a tool to make */
        ToolCall: {
            id: string;
            name: string;
            /** @description The arguments as a JSON text, as OpenAI sends them (`{"city":"Paris"}`) */
            arguments: string;
        };
        /** @description A message as Chat Completions has it. Content text, names and tool call arguments together are at most MAX_MESSAGE_BYTES (32 KiB by default) as UTF-8. An assistant message with tool_calls opens a turn that only tool messages answering those calls may follow (409 otherwise) until each is answered once. */
        AppendMessage: {
            role: components["schemas"]["MessageRole"];
            /** @description A string, or 1 to 100 parts; null only on an assistant message with tool_calls */
            content: string | components["schemas"]["ContentPart"][] | (null);
            /** @description Assistant messages only */
            tool_calls?: components["schemas"]["ToolCall"][];
            /** @description Tool messages only, and required there: the call the message answers, which must be open in the window */
            tool_call_id?: string;
            /** @description A participant name (not on tool messages) */
            name?: string;
            /** @description Any JSON object, at most 4096 bytes as JSON: stored and returned, never sent to a model, not counted */
            metadata?: {
                [key: string]: unknown;
            };
        };
        /** @description 1 to 100 messages appended in order, all or nothing */
        AppendTurn: {
            messages: components["schemas"]["AppendMessage"][];
        };
        /** @description A stored message: exactly what was appended, with its id, token count and time */
        Message: {
            id: string;
            role: components["schemas"]["MessageRole"];
            /** @description A string, or 1 to 100 parts; null only on an assistant message with tool_calls */
            content: string | components["schemas"]["ContentPart"][] | (null);
            /** @description Assistant messages only */
            tool_calls?: components["schemas"]["ToolCall"][];
            /** @description Tool messages only, and required there: the call the message answers, which must be open in the window */
            tool_call_id?: string;
            /** @description A participant name (not on tool messages) */
            name?: string;
            /** @description Any JSON object, at most 4096 bytes as JSON: stored and returned, never sent to a model, not counted */
            metadata?: {
                [key: string]: unknown;
            };
            /** @description Tokens a model reads for this message (content text, name, tool names and arguments) in the session’s token_encoding */
            tokens: number;
            /** Format: date-time */
            created_at: string;
        };
        /** @description A message as the Chat Completions API takes it in `messages` */
        OpenAIMessage: {
            role: components["schemas"]["MessageRole"];
            /** @description A string, or 1 to 100 parts; null only on an assistant message with tool_calls */
            content: string | components["schemas"]["ContentPart"][] | (null);
            name?: string;
            tool_calls?: {
                id: string;
                /** @enum {string} */
                type: "function";
                function: {
                    name: string;
                    arguments: string;
                };
            }[];
            tool_call_id?: string;
        };
        TokenUsage: {
            /** @description Tokens the window holds */
            used: number;
            /** @description The window’s budget (SHORT_TERM_MAX_TOKENS) */
            max: number;
            /** @description `used` as a percentage of `max` */
            percentage: number;
        };
        AppendedMessage: {
            message: components["schemas"]["Message"];
            token_usage: components["schemas"]["TokenUsage"];
            /** @description Ids of the messages evicted to make room, oldest first */
            evicted: string[];
        };
        AppendedTurn: {
            messages: components["schemas"]["Message"][];
            token_usage: components["schemas"]["TokenUsage"];
            /** @description Ids of the messages evicted to make room, oldest first */
            evicted: string[];
        };
        MessageWindow: {
            /** @description Message by default; OpenAIMessage with ?format=openai */
            messages: components["schemas"]["Message"][] | components["schemas"]["OpenAIMessage"][];
            token_usage: components["schemas"]["TokenUsage"];
        };
        Context: {
            /** @description The running summary of evicted messages, or null; its tokens count in token_usage */
            summary: string | null;
            /** @description The window. With ?format=openai: the system messages, then the summary as a system message, then the rest, ready for Chat Completions */
            messages: components["schemas"]["Message"][] | components["schemas"]["OpenAIMessage"][];
            token_usage: components["schemas"]["TokenUsage"];
        };
        DeletedMessages: {
            /** @description Ids of the messages deleted, in window order */
            deleted: string[];
        };
        EvictedBuffer: {
            /** @description The running summary so far, or null */
            summary: string | null;
            /** @description Send it back with the summary: a commit over a summary that moved on is refused (409) */
            summary_version: number;
            /** @description Evicted and not yet summarized, oldest first (at most 1000 kept) */
            messages: components["schemas"]["Message"][];
        };
        CommitSummary: {
            /** @description The new running summary: the previous one and the buffer up to through_id, folded */
            summary: string;
            /** @description The last buffered message the summary covers: 1 to 128 letters, digits, '_', '-' or '.', and not "." or ".." */
            through_id: string;
            /** @description The summary_version read with the buffer */
            summary_version: number;
        };
        CommittedSummary: {
            summary_version: number;
            token_usage: components["schemas"]["TokenUsage"];
            /** @description Ids of the messages evicted to make room, oldest first */
            evicted: string[];
        };
        Checkpoint: {
            checkpoint_id: string;
            /** Format: date-time */
            created_at: string;
            message_count: number;
        };
        CheckpointList: {
            checkpoints: components["schemas"]["Checkpoint"][];
        };
        RestoreCheckpoint: {
            /** @description The checkpoint: 1 to 128 letters, digits, '_', '-' or '.', and not "." or ".." */
            checkpoint_id: string;
        };
        Restored: {
            restored_message_count: number;
        };
        PutTaskResult: {
            /** @description Any JSON value, null, false and 0 included */
            result: unknown;
            /** @description How long to keep the result: a whole number of seconds from 1 to 86400; 1800 when left out */
            ttl_seconds?: number;
        };
        StoredTaskResult: {
            task_id: string;
            /** @description Seconds the result is kept */
            expires_in: number;
        };
        TaskResult: {
            /** @description What was stored, any JSON value */
            result: unknown;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
            /** @description The request is malformed; `error.details` names each field that is wrong and what it accepts (VALIDATION_ERROR) */
            400: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error; it is logged with the request id (INTERNAL_ERROR) */
            500: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getLiveness: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Liveness"];
                };
            };
            /** @description The request is malformed; `error.details` names each field that is wrong and what it accepts (VALIDATION_ERROR) */
            400: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error; it is logged with the request id (INTERNAL_ERROR) */
            500: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getReadiness: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Readiness"];
                };
            };
            /** @description The request is malformed; `error.details` names each field that is wrong and what it accepts (VALIDATION_ERROR) */
            400: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error; it is logged with the request id (INTERNAL_ERROR) */
            500: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not ready: the store cannot be used */
            503: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Readiness"];
                };
            };
        };
    };
    listSessions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionList"];
                };
            };
            /** @description The request is malformed; `error.details` names each field that is wrong and what it accepts (VALIDATION_ERROR) */
            400: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or one the service does not know (UNAUTHORIZED) */
            401: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Over the caller’s rate limit, or too many failed authentications from this address; retry after Retry-After seconds (RATE_LIMIT_EXCEEDED) */
            429: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error; it is logged with the request id (INTERNAL_ERROR) */
            500: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The store is unavailable and nothing was changed, or rate limiting fails closed while it is; retry after Retry-After seconds (SERVICE_UNAVAILABLE) */
            503: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createSession: {
        parameters: {
            query?: never;
            header?: {
                /** @description A key you choose for this one write (a UUID, say), 1 to 255 printable ASCII characters, quoted or not. Retry with the same key after a 504 OUTCOME_UNKNOWN (or no answer): you get the first outcome, never a second write. Kept IDEMPOTENCY_TTL_SECONDS (an hour). */
                "idempotency-key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateSession"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Session"];
                };
            };
            /** @description The request is malformed; `error.details` names each field that is wrong and what it accepts (VALIDATION_ERROR) */
            400: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or one the service does not know (UNAUTHORIZED) */
            401: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than BODY_LIMIT_BYTES (PAYLOAD_TOO_LARGE) */
            413: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json (UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is well formed but cannot be carried out (CAPACITY_EXCEEDED), or its Idempotency-Key was already used for a different request (IDEMPOTENCY_KEY_REUSED) */
            422: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Over the caller’s rate limit, or too many failed authentications from this address; retry after Retry-After seconds (RATE_LIMIT_EXCEEDED) */
            429: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error; it is logged with the request id (INTERNAL_ERROR) */
            500: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The store is unavailable and nothing was changed, or rate limiting fails closed while it is; retry after Retry-After seconds (SERVICE_UNAVAILABLE) */
            503: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The store did not answer in time, so the write may or may not have been carried out; retry with the same Idempotency-Key (OUTCOME_UNKNOWN) */
            504: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteSessions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeletedSessions"];
                };
            };
            /** @description The request is malformed; `error.details` names each field that is wrong and what it accepts (VALIDATION_ERROR) */
            400: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or one the service does not know (UNAUTHORIZED) */
            401: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than BODY_LIMIT_BYTES (PAYLOAD_TOO_LARGE) */
            413: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json (UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Over the caller’s rate limit, or too many failed authentications from this address; retry after Retry-After seconds (RATE_LIMIT_EXCEEDED) */
            429: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error; it is logged with the request id (INTERNAL_ERROR) */
            500: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The store is unavailable and nothing was changed, or rate limiting fails closed while it is; retry after Retry-After seconds (SERVICE_UNAVAILABLE) */
            503: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The store did not answer in time, so the write may or may not have been carried out; retry with the same Idempotency-Key (OUTCOME_UNKNOWN) */
            504: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getSession: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The session: 1 to 128 letters, digits, '_', '-' or '.', and not "." or ".." */
                session_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Session"];
                };
            };
            /** @description The request is malformed; `error.details` names each field that is wrong and what it accepts (VALIDATION_ERROR) */
            400: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or one the service does not know (UNAUTHORIZED) */
            401: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such session for this user: never created, expired, deleted, or another user’s (NOT_FOUND) */
            404: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Over the caller’s rate limit, or too many failed authentications from this address; retry after Retry-After seconds (RATE_LIMIT_EXCEEDED) */
            429: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error; it is logged with the request id (INTERNAL_ERROR) */
            500: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The store is unavailable and nothing was changed, or rate limiting fails closed while it is; retry after Retry-After seconds (SERVICE_UNAVAILABLE) */
            503: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteSession: {
        parameters: {
            query?: never;
            header?: {
                /** @description A key you choose for this one write (a UUID, say), 1 to 255 printable ASCII characters, quoted or not. Retry with the same key after a 504 OUTCOME_UNKNOWN (or no answer): you get the first outcome, never a second write. Kept IDEMPOTENCY_TTL_SECONDS (an hour). */
                "idempotency-key"?: string;
            };
            path: {
                /** @description The session: 1 to 128 letters, digits, '_', '-' or '.', and not "." or ".." */
                session_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is malformed; `error.details` names each field that is wrong and what it accepts (VALIDATION_ERROR) */
            400: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or one the service does not know (UNAUTHORIZED) */
            401: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such session for this user: never created, expired, deleted, or another user’s (NOT_FOUND) */
            404: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than BODY_LIMIT_BYTES (PAYLOAD_TOO_LARGE) */
            413: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json (UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is well formed but cannot be carried out (CAPACITY_EXCEEDED), or its Idempotency-Key was already used for a different request (IDEMPOTENCY_KEY_REUSED) */
            422: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Over the caller’s rate limit, or too many failed authentications from this address; retry after Retry-After seconds (RATE_LIMIT_EXCEEDED) */
            429: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error; it is logged with the request id (INTERNAL_ERROR) */
            500: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The store is unavailable and nothing was changed, or rate limiting fails closed while it is; retry after Retry-After seconds (SERVICE_UNAVAILABLE) */
            503: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The store did not answer in time, so the write may or may not have been carried out; retry with the same Idempotency-Key (OUTCOME_UNKNOWN) */
            504: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    patchSession: {
        parameters: {
            query?: never;
            header?: {
                /** @description A key you choose for this one write (a UUID, say), 1 to 255 printable ASCII characters, quoted or not. Retry with the same key after a 504 OUTCOME_UNKNOWN (or no answer): you get the first outcome, never a second write. Kept IDEMPOTENCY_TTL_SECONDS (an hour). */
                "idempotency-key"?: string;
            };
            path: {
                /** @description The session: 1 to 128 letters, digits, '_', '-' or '.', and not "." or ".." */
                session_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/merge-patch+json": components["schemas"]["SessionPatch"];
                "application/json": components["schemas"]["SessionPatch"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Session"];
                };
            };
            /** @description The request is malformed; `error.details` names each field that is wrong and what it accepts (VALIDATION_ERROR) */
            400: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or one the service does not know (UNAUTHORIZED) */
            401: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such session for this user: never created, expired, deleted, or another user’s (NOT_FOUND) */
            404: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than BODY_LIMIT_BYTES (PAYLOAD_TOO_LARGE) */
            413: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/merge-patch+json or application/json (UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The merged metadata would be larger than 16 KiB as JSON, and nothing changed (CAPACITY_EXCEEDED); or the Idempotency-Key was already used for a different request (IDEMPOTENCY_KEY_REUSED) */
            422: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Over the caller’s rate limit, or too many failed authentications from this address; retry after Retry-After seconds (RATE_LIMIT_EXCEEDED) */
            429: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error; it is logged with the request id (INTERNAL_ERROR) */
            500: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The store is unavailable and nothing was changed, or rate limiting fails closed while it is; retry after Retry-After seconds (SERVICE_UNAVAILABLE) */
            503: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The store did not answer in time, so the write may or may not have been carried out; retry with the same Idempotency-Key (OUTCOME_UNKNOWN) */
            504: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    refreshSession: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The session: 1 to 128 letters, digits, '_', '-' or '.', and not "." or ".." */
                session_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Session"];
                };
            };
            /** @description The request is malformed; `error.details` names each field that is wrong and what it accepts (VALIDATION_ERROR) */
            400: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or one the service does not know (UNAUTHORIZED) */
            401: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such session for this user: never created, expired, deleted, or another user’s (NOT_FOUND) */
            404: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than BODY_LIMIT_BYTES (PAYLOAD_TOO_LARGE) */
            413: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json (UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Over the caller’s rate limit, or too many failed authentications from this address; retry after Retry-After seconds (RATE_LIMIT_EXCEEDED) */
            429: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error; it is logged with the request id (INTERNAL_ERROR) */
            500: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The store is unavailable and nothing was changed, or rate limiting fails closed while it is; retry after Retry-After seconds (SERVICE_UNAVAILABLE) */
            503: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The store did not answer in time, so the write may or may not have been carried out; retry with the same Idempotency-Key (OUTCOME_UNKNOWN) */
            504: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getMessages: {
        parameters: {
            query?: {
                /** @description Only the newest N messages, 1 to 999999 (applied after `after`) */
                last?: string;
                /** @description Only the messages after this message id, a cursor (400 when it is not in the window): 1 to 128 letters, digits, '_', '-' or '.', and not "." or ".." */
                after?: string;
                /** @description neutral (the default): messages as stored, with ids, tokens and times; openai: ready for Chat Completions `messages` */
                format?: "neutral" | "openai";
            };
            header?: never;
            path: {
                /** @description The session: 1 to 128 letters, digits, '_', '-' or '.', and not "." or ".." */
                session_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MessageWindow"];
                };
            };
            /** @description The request is malformed; `error.details` names each field that is wrong and what it accepts (VALIDATION_ERROR) */
            400: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or one the service does not know (UNAUTHORIZED) */
            401: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such session for this user: never created, expired, deleted, or another user’s (NOT_FOUND) */
            404: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Over the caller’s rate limit, or too many failed authentications from this address; retry after Retry-After seconds (RATE_LIMIT_EXCEEDED) */
            429: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error; it is logged with the request id (INTERNAL_ERROR) */
            500: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The store is unavailable and nothing was changed, or rate limiting fails closed while it is; retry after Retry-After seconds (SERVICE_UNAVAILABLE) */
            503: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    appendMessage: {
        parameters: {
            query?: never;
            header?: {
                /** @description A key you choose for this one write (a UUID, say), 1 to 255 printable ASCII characters, quoted or not. Retry with the same key after a 504 OUTCOME_UNKNOWN (or no answer): you get the first outcome, never a second write. Kept IDEMPOTENCY_TTL_SECONDS (an hour). */
                "idempotency-key"?: string;
            };
            path: {
                /** @description The session: 1 to 128 letters, digits, '_', '-' or '.', and not "." or ".." */
                session_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AppendMessage"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AppendedMessage"];
                };
            };
            /** @description The request is malformed; `error.details` names each field that is wrong and what it accepts (VALIDATION_ERROR) */
            400: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or one the service does not know (UNAUTHORIZED) */
            401: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such session for this user: never created, expired, deleted, or another user’s (NOT_FOUND) */
            404: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The window’s last assistant message waits for the results of its tool calls; nothing else may be appended until each is answered (CONFLICT) */
            409: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than BODY_LIMIT_BYTES (PAYLOAD_TOO_LARGE) */
            413: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json (UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The message (or the turn’s last unit) is larger than the whole token budget, or system messages leave it no room; nothing was written (CAPACITY_EXCEEDED) */
            422: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Over the caller’s rate limit, or too many failed authentications from this address; retry after Retry-After seconds (RATE_LIMIT_EXCEEDED) */
            429: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error; it is logged with the request id (INTERNAL_ERROR) */
            500: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The store is unavailable and nothing was changed, or rate limiting fails closed while it is; retry after Retry-After seconds (SERVICE_UNAVAILABLE) */
            503: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The store did not answer in time, so the write may or may not have been carried out; retry with the same Idempotency-Key (OUTCOME_UNKNOWN) */
            504: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    clearMessages: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The session: 1 to 128 letters, digits, '_', '-' or '.', and not "." or ".." */
                session_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeletedMessages"];
                };
            };
            /** @description The request is malformed; `error.details` names each field that is wrong and what it accepts (VALIDATION_ERROR) */
            400: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or one the service does not know (UNAUTHORIZED) */
            401: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such session for this user: never created, expired, deleted, or another user’s (NOT_FOUND) */
            404: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than BODY_LIMIT_BYTES (PAYLOAD_TOO_LARGE) */
            413: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json (UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Over the caller’s rate limit, or too many failed authentications from this address; retry after Retry-After seconds (RATE_LIMIT_EXCEEDED) */
            429: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error; it is logged with the request id (INTERNAL_ERROR) */
            500: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The store is unavailable and nothing was changed, or rate limiting fails closed while it is; retry after Retry-After seconds (SERVICE_UNAVAILABLE) */
            503: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The store did not answer in time, so the write may or may not have been carried out; retry with the same Idempotency-Key (OUTCOME_UNKNOWN) */
            504: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    appendTurn: {
        parameters: {
            query?: never;
            header?: {
                /** @description A key you choose for this one write (a UUID, say), 1 to 255 printable ASCII characters, quoted or not. Retry with the same key after a 504 OUTCOME_UNKNOWN (or no answer): you get the first outcome, never a second write. Kept IDEMPOTENCY_TTL_SECONDS (an hour). */
                "idempotency-key"?: string;
            };
            path: {
                /** @description The session: 1 to 128 letters, digits, '_', '-' or '.', and not "." or ".." */
                session_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AppendTurn"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AppendedTurn"];
                };
            };
            /** @description The request is malformed; `error.details` names each field that is wrong and what it accepts (VALIDATION_ERROR) */
            400: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or one the service does not know (UNAUTHORIZED) */
            401: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such session for this user: never created, expired, deleted, or another user’s (NOT_FOUND) */
            404: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The window’s last assistant message waits for the results of its tool calls; nothing else may be appended until each is answered (CONFLICT) */
            409: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than BODY_LIMIT_BYTES (PAYLOAD_TOO_LARGE) */
            413: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json (UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The message (or the turn’s last unit) is larger than the whole token budget, or system messages leave it no room; nothing was written (CAPACITY_EXCEEDED) */
            422: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Over the caller’s rate limit, or too many failed authentications from this address; retry after Retry-After seconds (RATE_LIMIT_EXCEEDED) */
            429: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error; it is logged with the request id (INTERNAL_ERROR) */
            500: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The store is unavailable and nothing was changed, or rate limiting fails closed while it is; retry after Retry-After seconds (SERVICE_UNAVAILABLE) */
            503: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The store did not answer in time, so the write may or may not have been carried out; retry with the same Idempotency-Key (OUTCOME_UNKNOWN) */
            504: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteMessage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The session: 1 to 128 letters, digits, '_', '-' or '.', and not "." or ".." */
                session_id: string;
                /** @description The message: 1 to 128 letters, digits, '_', '-' or '.', and not "." or ".." */
                message_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeletedMessages"];
                };
            };
            /** @description The request is malformed; `error.details` names each field that is wrong and what it accepts (VALIDATION_ERROR) */
            400: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or one the service does not know (UNAUTHORIZED) */
            401: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such session for this user, or no such message in its window (NOT_FOUND) */
            404: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than BODY_LIMIT_BYTES (PAYLOAD_TOO_LARGE) */
            413: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json (UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Over the caller’s rate limit, or too many failed authentications from this address; retry after Retry-After seconds (RATE_LIMIT_EXCEEDED) */
            429: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error; it is logged with the request id (INTERNAL_ERROR) */
            500: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The store is unavailable and nothing was changed, or rate limiting fails closed while it is; retry after Retry-After seconds (SERVICE_UNAVAILABLE) */
            503: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The store did not answer in time, so the write may or may not have been carried out; retry with the same Idempotency-Key (OUTCOME_UNKNOWN) */
            504: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getContext: {
        parameters: {
            query?: {
                /** @description Only the newest N messages, 1 to 999999 (applied after `after`) */
                last?: string;
                /** @description Only the messages after this message id, a cursor (400 when it is not in the window): 1 to 128 letters, digits, '_', '-' or '.', and not "." or ".." */
                after?: string;
                /** @description neutral (the default): messages as stored, with ids, tokens and times; openai: ready for Chat Completions `messages` */
                format?: "neutral" | "openai";
            };
            header?: never;
            path: {
                /** @description The session: 1 to 128 letters, digits, '_', '-' or '.', and not "." or ".." */
                session_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Context"];
                };
            };
            /** @description The request is malformed; `error.details` names each field that is wrong and what it accepts (VALIDATION_ERROR) */
            400: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or one the service does not know (UNAUTHORIZED) */
            401: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such session for this user: never created, expired, deleted, or another user’s (NOT_FOUND) */
            404: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Over the caller’s rate limit, or too many failed authentications from this address; retry after Retry-After seconds (RATE_LIMIT_EXCEEDED) */
            429: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error; it is logged with the request id (INTERNAL_ERROR) */
            500: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The store is unavailable and nothing was changed, or rate limiting fails closed while it is; retry after Retry-After seconds (SERVICE_UNAVAILABLE) */
            503: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getEvicted: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The session: 1 to 128 letters, digits, '_', '-' or '.', and not "." or ".." */
                session_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EvictedBuffer"];
                };
            };
            /** @description The request is malformed; `error.details` names each field that is wrong and what it accepts (VALIDATION_ERROR) */
            400: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or one the service does not know (UNAUTHORIZED) */
            401: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such session for this user: never created, expired, deleted, or another user’s (NOT_FOUND) */
            404: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Over the caller’s rate limit, or too many failed authentications from this address; retry after Retry-After seconds (RATE_LIMIT_EXCEEDED) */
            429: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error; it is logged with the request id (INTERNAL_ERROR) */
            500: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The store is unavailable and nothing was changed, or rate limiting fails closed while it is; retry after Retry-After seconds (SERVICE_UNAVAILABLE) */
            503: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    commitSummary: {
        parameters: {
            query?: never;
            header?: {
                /** @description A key you choose for this one write (a UUID, say), 1 to 255 printable ASCII characters, quoted or not. Retry with the same key after a 504 OUTCOME_UNKNOWN (or no answer): you get the first outcome, never a second write. Kept IDEMPOTENCY_TTL_SECONDS (an hour). */
                "idempotency-key"?: string;
            };
            path: {
                /** @description The session: 1 to 128 letters, digits, '_', '-' or '.', and not "." or ".." */
                session_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CommitSummary"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CommittedSummary"];
                };
            };
            /** @description The request is malformed; `error.details` names each field that is wrong and what it accepts (VALIDATION_ERROR) */
            400: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or one the service does not know (UNAUTHORIZED) */
            401: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such session for this user: never created, expired, deleted, or another user’s (NOT_FOUND) */
            404: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The summary moved on since summary_version, or through_id is no longer buffered; nothing changed: read the buffer again (CONFLICT) */
            409: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than BODY_LIMIT_BYTES (PAYLOAD_TOO_LARGE) */
            413: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json (UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The summary does not fit the budget beside the system messages (CAPACITY_EXCEEDED), or the Idempotency-Key was already used for a different request (IDEMPOTENCY_KEY_REUSED) */
            422: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Over the caller’s rate limit, or too many failed authentications from this address; retry after Retry-After seconds (RATE_LIMIT_EXCEEDED) */
            429: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error; it is logged with the request id (INTERNAL_ERROR) */
            500: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The store is unavailable and nothing was changed, or rate limiting fails closed while it is; retry after Retry-After seconds (SERVICE_UNAVAILABLE) */
            503: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The store did not answer in time, so the write may or may not have been carried out; retry with the same Idempotency-Key (OUTCOME_UNKNOWN) */
            504: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listCheckpoints: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The session: 1 to 128 letters, digits, '_', '-' or '.', and not "." or ".." */
                session_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CheckpointList"];
                };
            };
            /** @description The request is malformed; `error.details` names each field that is wrong and what it accepts (VALIDATION_ERROR) */
            400: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or one the service does not know (UNAUTHORIZED) */
            401: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such session for this user: never created, expired, deleted, or another user’s (NOT_FOUND) */
            404: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Over the caller’s rate limit, or too many failed authentications from this address; retry after Retry-After seconds (RATE_LIMIT_EXCEEDED) */
            429: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error; it is logged with the request id (INTERNAL_ERROR) */
            500: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The store is unavailable and nothing was changed, or rate limiting fails closed while it is; retry after Retry-After seconds (SERVICE_UNAVAILABLE) */
            503: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createCheckpoint: {
        parameters: {
            query?: never;
            header?: {
                /** @description A key you choose for this one write (a UUID, say), 1 to 255 printable ASCII characters, quoted or not. Retry with the same key after a 504 OUTCOME_UNKNOWN (or no answer): you get the first outcome, never a second write. Kept IDEMPOTENCY_TTL_SECONDS (an hour). */
                "idempotency-key"?: string;
            };
            path: {
                /** @description The session: 1 to 128 letters, digits, '_', '-' or '.', and not "." or ".." */
                session_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Created */
            201: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Checkpoint"];
                };
            };
            /** @description The request is malformed; `error.details` names each field that is wrong and what it accepts (VALIDATION_ERROR) */
            400: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or one the service does not know (UNAUTHORIZED) */
            401: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such session for this user: never created, expired, deleted, or another user’s (NOT_FOUND) */
            404: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than BODY_LIMIT_BYTES (PAYLOAD_TOO_LARGE) */
            413: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json (UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is well formed but cannot be carried out (CAPACITY_EXCEEDED), or its Idempotency-Key was already used for a different request (IDEMPOTENCY_KEY_REUSED) */
            422: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Over the caller’s rate limit, or too many failed authentications from this address; retry after Retry-After seconds (RATE_LIMIT_EXCEEDED) */
            429: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error; it is logged with the request id (INTERNAL_ERROR) */
            500: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The store is unavailable and nothing was changed, or rate limiting fails closed while it is; retry after Retry-After seconds (SERVICE_UNAVAILABLE) */
            503: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The store did not answer in time, so the write may or may not have been carried out; retry with the same Idempotency-Key (OUTCOME_UNKNOWN) */
            504: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    restoreCheckpoint: {
        parameters: {
            query?: never;
            header?: {
                /** @description A key you choose for this one write (a UUID, say), 1 to 255 printable ASCII characters, quoted or not. Retry with the same key after a 504 OUTCOME_UNKNOWN (or no answer): you get the first outcome, never a second write. Kept IDEMPOTENCY_TTL_SECONDS (an hour). */
                "idempotency-key"?: string;
            };
            path: {
                /** @description The session: 1 to 128 letters, digits, '_', '-' or '.', and not "." or ".." */
                session_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RestoreCheckpoint"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Restored"];
                };
            };
            /** @description The request is malformed; `error.details` names each field that is wrong and what it accepts (VALIDATION_ERROR) */
            400: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or one the service does not know (UNAUTHORIZED) */
            401: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such session for this user, or no such checkpoint in it (NOT_FOUND) */
            404: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than BODY_LIMIT_BYTES (PAYLOAD_TOO_LARGE) */
            413: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json (UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is well formed but cannot be carried out (CAPACITY_EXCEEDED), or its Idempotency-Key was already used for a different request (IDEMPOTENCY_KEY_REUSED) */
            422: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Over the caller’s rate limit, or too many failed authentications from this address; retry after Retry-After seconds (RATE_LIMIT_EXCEEDED) */
            429: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error; it is logged with the request id (INTERNAL_ERROR) */
            500: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The store is unavailable and nothing was changed, or rate limiting fails closed while it is; retry after Retry-After seconds (SERVICE_UNAVAILABLE) */
            503: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The store did not answer in time, so the write may or may not have been carried out; retry with the same Idempotency-Key (OUTCOME_UNKNOWN) */
            504: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    peekTaskResult: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The task: 1 to 128 letters, digits, '_', '-' or '.', and not "." or ".." */
                task_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskResult"];
                };
            };
            /** @description The request is malformed; `error.details` names each field that is wrong and what it accepts (VALIDATION_ERROR) */
            400: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or one the service does not know (UNAUTHORIZED) */
            401: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No result under this task id for this user: never stored, expired, already claimed, or another user’s (NOT_FOUND) */
            404: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Over the caller’s rate limit, or too many failed authentications from this address; retry after Retry-After seconds (RATE_LIMIT_EXCEEDED) */
            429: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error; it is logged with the request id (INTERNAL_ERROR) */
            500: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The store is unavailable and nothing was changed, or rate limiting fails closed while it is; retry after Retry-After seconds (SERVICE_UNAVAILABLE) */
            503: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putTaskResult: {
        parameters: {
            query?: never;
            header?: {
                /** @description A key you choose for this one write (a UUID, say), 1 to 255 printable ASCII characters, quoted or not. Retry with the same key after a 504 OUTCOME_UNKNOWN (or no answer): you get the first outcome, never a second write. Kept IDEMPOTENCY_TTL_SECONDS (an hour). */
                "idempotency-key"?: string;
            };
            path: {
                /** @description The task: 1 to 128 letters, digits, '_', '-' or '.', and not "." or ".." */
                task_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PutTaskResult"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StoredTaskResult"];
                };
            };
            /** @description The request is malformed; `error.details` names each field that is wrong and what it accepts (VALIDATION_ERROR) */
            400: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or one the service does not know (UNAUTHORIZED) */
            401: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than BODY_LIMIT_BYTES (PAYLOAD_TOO_LARGE) */
            413: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json (UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is well formed but cannot be carried out (CAPACITY_EXCEEDED), or its Idempotency-Key was already used for a different request (IDEMPOTENCY_KEY_REUSED) */
            422: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Over the caller’s rate limit, or too many failed authentications from this address; retry after Retry-After seconds (RATE_LIMIT_EXCEEDED) */
            429: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error; it is logged with the request id (INTERNAL_ERROR) */
            500: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The store is unavailable and nothing was changed, or rate limiting fails closed while it is; retry after Retry-After seconds (SERVICE_UNAVAILABLE) */
            503: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The store did not answer in time, so the write may or may not have been carried out; retry with the same Idempotency-Key (OUTCOME_UNKNOWN) */
            504: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    takeTaskResult: {
        parameters: {
            query?: never;
            header?: {
                /** @description A key you choose for this one write (a UUID, say), 1 to 255 printable ASCII characters, quoted or not. Retry with the same key after a 504 OUTCOME_UNKNOWN (or no answer): you get the first outcome, never a second write. Kept IDEMPOTENCY_TTL_SECONDS (an hour). */
                "idempotency-key"?: string;
            };
            path: {
                /** @description The task: 1 to 128 letters, digits, '_', '-' or '.', and not "." or ".." */
                task_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskResult"];
                };
            };
            /** @description The request is malformed; `error.details` names each field that is wrong and what it accepts (VALIDATION_ERROR) */
            400: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or one the service does not know (UNAUTHORIZED) */
            401: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No result under this task id for this user: never stored, expired, already claimed, or another user’s (NOT_FOUND) */
            404: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than BODY_LIMIT_BYTES (PAYLOAD_TOO_LARGE) */
            413: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json (UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is well formed but cannot be carried out (CAPACITY_EXCEEDED), or its Idempotency-Key was already used for a different request (IDEMPOTENCY_KEY_REUSED) */
            422: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Over the caller’s rate limit, or too many failed authentications from this address; retry after Retry-After seconds (RATE_LIMIT_EXCEEDED) */
            429: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error; it is logged with the request id (INTERNAL_ERROR) */
            500: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The store is unavailable and nothing was changed, or rate limiting fails closed while it is; retry after Retry-After seconds (SERVICE_UNAVAILABLE) */
            503: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The store did not answer in time, so the write may or may not have been carried out; retry with the same Idempotency-Key (OUTCOME_UNKNOWN) */
            504: {
                headers: {
                    /** @description The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID */
                    "X-Request-ID"?: string;
                    /** @description The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>` */
                    RateLimit?: string;
                    /** @description The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>` */
                    "RateLimit-Policy"?: string;
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
}
