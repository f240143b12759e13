//! The shared wasm-bindgen-test suite under Node.js: `wasm-pack test --node -- --test node`.
#![cfg(target_arch = "wasm32")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
