//! Integration tests of the ZIA client against local mock servers on 127.0.0.1.

mod cache;
mod config;
mod debug_output;
mod errors;
mod listing;
mod recorded;
mod retries;
mod session;
mod support;
mod writes;
