/**
 * The time (epoch milliseconds) after which the caller of an RPC request no longer waits for it.
 * Servers drop a request received later without running it (rpc-server.ts).
 */
export const RPC_DEADLINE_HEADER = 'x-deadline';
