//! Authentication and authorisation, end to end: flows, API keys, the route x principal
//! matrix, crafted JWTs, rate limits, crash consistency, TLS and the WebSocket.

mod crash;
mod flows;
mod jwt;
mod keys;
mod matrix;
mod openapi;
mod ratelimit;
mod transport;
