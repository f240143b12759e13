//! HMAC-SHA256 (RFC 2104) over RustCrypto's SHA-256, with a keyed state that can leave the core as
//! bytes and come back.
//!
//! The SHA-256 is all `sha2`'s: its buffering, padding and initial state (`sha2::Sha256`), and
//! its block-level core, whose state (eight words and the count of blocks compressed) digest's
//! `SerializableState` saves and restores. What is ours is RFC 2104's framing: the key padded to
//! one block and XOR-ed with ipad and opad, the inner hash, then the outer one.
//!
//! Why not the `hmac` crate: its keyed state cannot be exported or imported, and the npm package
//! keeps each `Verifier`'s key state in a small JS-owned buffer (so abandoned Verifiers never pile
//! up in Wasm memory), passing it in per call. `tests/vectors.rs` checks this file against RFC
//! 4231, Wycheproof and RustCrypto's `hmac`, and `tests/properties.rs` against `hmac` on random
//! inputs and split points.

use sha2::digest::block_api::{Block, Buffer, CoreProxy, UpdateCore};
use sha2::digest::common::hazmat::{SerializableState, SerializedState};
use sha2::digest::typenum::Unsigned;
use sha2::digest::{Digest, Reset};
pub(crate) use sha2::Sha256;

/// SHA-256's block-level core (`sha2`'s `Sha256VarCore` at a 32-byte output): a midstate.
type Core = <Sha256 as CoreProxy>::Core;

/// RFC 2104's B: the byte length of one SHA-256 block.
const BLOCK: usize = 64;
/// The length of a SHA-256 digest.
pub(crate) const DIGEST_LEN: usize = 32;
/// The bytes of one saved SHA-256 state, as `SerializableState` writes it: the eight state words
/// and the block count, little-endian (40).
const STATE_LEN: usize = <Core as SerializableState>::SerializedStateSize::USIZE;
/// The bytes of one exported key state: the inner state, then the outer one.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))] // used by src/bindings/ (wasm32 only)
pub(crate) const KEY_STATE_LEN: usize = 2 * STATE_LEN;

/// RFC 2104, section 2: "ipad = the byte 0x36 repeated B times, opad = the byte 0x5C repeated B
/// times".
const IPAD: u8 = 0x36;
const OPAD: u8 = 0x5c;

/// The SHA-256 of `data`.
pub(crate) fn sha256(data: &[u8]) -> [u8; DIGEST_LEN] {
    let mut hasher = Sha256::default();
    hasher.update(data);
    finish_sha256(&mut hasher)
}

/// `sha2`'s padding and final compression, in place, leaving `hasher` at SHA-256's initial state.
///
/// Out of line, like the other functions here marked so: one copy in the Wasm module, for the
/// inner and outer hashes of [`Mac::finalize`] and for the plain SHA-256. `sha2`'s generic
/// buffering, padding and state (de)serialization, inlined at each use, made the module 2.6 KB
/// larger raw and 0.9 KB larger at zlib level 9 than these few calls do (bench/NOTES.md,
/// "Issue 16").
#[inline(never)]
pub(crate) fn finish_sha256(hasher: &mut Sha256) -> [u8; DIGEST_LEN] {
    hasher.finalize_reset().into()
}

/// A keyed HMAC-SHA256: the inner and outer SHA-256 states after the key block XOR ipad/opad.
/// Key-equivalent; wiped when dropped.
///
/// RFC 2104, section 2, computes `H(K XOR opad, H(K XOR ipad, text))` in seven steps. Steps (1),
/// (2) and (5) make the two blocks that begin the inner and outer hashes; each depends on the key
/// alone, so it is compressed once per secret, here, and the hashes resume from these states.
#[derive(Clone)]
pub(crate) struct KeyState {
    inner: Core,
    outer: Core,
}

impl KeyState {
    /// The key state of `secret`, any length.
    pub(crate) fn new(secret: &[u8]) -> Self {
        // Section 3: "Applications that use keys longer than B bytes will first hash the key
        // using H and then use the resultant L byte string as the actual key to HMAC." Then step
        // (1): "append zeros to the end of K to create a B byte string".
        let mut key = [0u8; BLOCK];
        if secret.len() > BLOCK {
            let mut digest = sha256(secret);
            key.iter_mut().zip(digest).for_each(|(k, d)| *k = d);
            wipe(&mut digest);
        } else {
            key.iter_mut().zip(secret).for_each(|(k, s)| *k = *s);
        }
        // Steps (2) and (5): that block XOR ipad, and XOR opad.
        let state = KeyState {
            inner: keyed(&key, IPAD),
            outer: keyed(&key, OPAD),
        };
        wipe(&mut key);
        state
    }

    /// The bytes [`Mac::resume`] takes back: `SerializableState`'s form of the inner state, then
    /// of the outer one.
    #[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))] // used by src/bindings/ (wasm32 only)
    pub(crate) fn to_bytes(&self, out: &mut [u8; KEY_STATE_LEN]) {
        let (halves, _) = out.as_chunks_mut::<STATE_LEN>();
        for (half, state) in halves.iter_mut().zip([&self.inner, &self.outer]) {
            half.copy_from_slice(&state.serialize());
        }
    }

    /// A running HMAC of this key.
    #[inline(never)] // one copy in the module: see `finish_sha256`
    pub(crate) fn start(&self) -> Mac {
        Mac {
            inner: Sha256::compose(self.inner.clone(), Buffer::<Core>::default()),
            outer: self.outer.clone(),
        }
    }

    /// The HMAC of `payload` in one go.
    pub(crate) fn digest(&self, payload: &[u8]) -> [u8; DIGEST_LEN] {
        let mut mac = self.start();
        mac.update(payload);
        mac.finalize()
    }

    /// The two states as bytes, for tests that compare key states.
    #[cfg(test)]
    fn bytes(&self) -> [u8; KEY_STATE_LEN] {
        let mut bytes = [0; KEY_STATE_LEN];
        self.to_bytes(&mut bytes);
        bytes
    }
}

/// SHA-256's state after its first block, `key` XOR `pad` (RFC 2104's `K XOR ipad` or
/// `K XOR opad`), compressed by `sha2`'s core.
#[inline(never)] // one copy in the module: see `finish_sha256`
fn keyed(key: &[u8; BLOCK], pad: u8) -> Core {
    let mut block = Block::<Core>::default();
    block.iter_mut().zip(key).for_each(|(b, k)| *b = k ^ pad);
    let mut state = Core::default();
    state.update_blocks(core::slice::from_ref(&block));
    wipe(&mut block.0);
    state
}

/// A state [`SerializableState`] saved.
fn restore(bytes: &[u8; STATE_LEN]) -> Option<Core> {
    Core::deserialize(<&SerializedState<Core>>::from(bytes)).ok()
}

/// Overwrites a midstate with SHA-256's initial state, where it lies (`sha2` wipes its own state
/// only with its `zeroize` feature; see [`wipe`] for why not `zeroize`).
#[inline(never)] // one copy in the module: see `finish_sha256`
fn forget(state: &mut Core) {
    *state = Core::default();
    core::hint::black_box(state);
}

impl Drop for KeyState {
    fn drop(&mut self) {
        forget(&mut self.inner);
        forget(&mut self.outer);
    }
}

/// One HMAC being computed: feed it with [`update`](Self::update), as many times as needed.
#[derive(Clone)]
pub(crate) struct Mac {
    /// Steps (3) and (4), `H(K XOR ipad, text)`, so far: `sha2` buffers the text and pads it.
    inner: Sha256,
    /// The state after `K XOR opad`, which `finalize` resumes.
    outer: Core,
}

impl Mac {
    /// A running HMAC of the key state [`KeyState::to_bytes`] wrote (with no `KeyState` in between:
    /// one copy of the states fewer), or `None` if `sha2` refuses either half (its SHA-256 accepts
    /// any 40 bytes, so this does not happen; no stand-in state is made up).
    #[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))] // used by src/bindings/ (wasm32 only)
    pub(crate) fn resume(bytes: &[u8; KEY_STATE_LEN]) -> Option<Self> {
        let (halves, _) = bytes.as_chunks::<STATE_LEN>();
        let [inner, outer] = halves else {
            return None;
        };
        Some(Mac {
            inner: Sha256::compose(restore(inner)?, Buffer::<Core>::default()),
            outer: restore(outer)?,
        })
    }

    #[inline(never)] // one copy in the module: see `finish_sha256`
    pub(crate) fn update(&mut self, data: &[u8]) {
        self.inner.update(data);
    }

    /// `H(K XOR opad, H(K XOR ipad, text))`: step (4) ends the inner hash, steps (6) and (7) hash
    /// its result after `K XOR opad`. Finalized in place and reset to SHA-256's initial state: no
    /// keyed state is left where it lived (moving it out of a `Vec` would leave its bytes in the
    /// freed allocation).
    #[inline(never)] // one copy for the two ways of verifying (src/bindings/)
    pub(crate) fn finalize(&mut self) -> [u8; DIGEST_LEN] {
        let inner = finish_sha256(&mut self.inner);
        let mut outer = Sha256::compose(self.outer.clone(), Buffer::<Core>::default());
        forget(&mut self.outer);
        outer.update(inner);
        finish_sha256(&mut outer)
    }
}

impl Drop for Mac {
    fn drop(&mut self) {
        Reset::reset(&mut self.inner);
        core::hint::black_box(&mut self.inner);
        forget(&mut self.outer);
    }
}

/// Zeroes key material where it lies: a few wide stores (an array's size is known), in one
/// function per array type, instead of `zeroize`'s volatile store per element unrolled at every
/// wipe site (kilobytes of the module). `black_box` makes the compiler assume the zeroed bytes
/// are read afterwards, so the stores cannot be dropped as dead (the same guard as
/// [`scrub_stack`]). `tests/secrets.rs` and `tests/js/secrets.test.mjs` check that no key state
/// is left behind.
#[inline(never)]
pub(crate) fn wipe<T: Copy + Default, const N: usize>(items: &mut [T; N]) {
    items.fill(T::default());
    core::hint::black_box(items);
}

/// Zeroes the stack just below the caller, where key setup and hashing ran (kept out of line with
/// `#[inline(never)]` so their frames lie there): moving a value leaves its old bytes behind, and
/// HMAC key state is key-equivalent. In Wasm that stack is part of linear memory, which outlives
/// every call; `tests/js/secrets.test.mjs` scans it. The depth is what SHA-256's compression and
/// its callers touch: with no scrub the scan finds key state, with 512 bytes it finds none; 1 KiB
/// keeps a margin (it was two blanket 16 KiB wipes per one-shot call).
#[inline(never)]
pub(crate) fn scrub_stack() {
    let mut scratch = [0u8; 1024];
    core::hint::black_box(&mut scratch);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_is_the_same_at_every_split() {
        // RFC 4231 test case 2, then a payload over several blocks fed in two pieces.
        assert_eq!(
            hex::encode(KeyState::new(b"Jefe").digest(b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        let key = KeyState::new(b"key");
        let payload: Vec<u8> = (0..200u8).collect();
        let whole = key.digest(&payload);
        for split in 0..=payload.len() {
            let (a, b) = payload.split_at(split);
            let mut mac = key.start();
            mac.update(a);
            mac.update(b);
            assert_eq!(mac.finalize(), whole, "split at {split}");
        }
    }

    #[test]
    fn key_state_round_trips_through_bytes() {
        let key = KeyState::new(b"key");
        let bytes = key.bytes();
        let resumed = Mac::resume(&bytes).map(|mut mac| {
            mac.update(b"body");
            mac.finalize()
        });
        assert_eq!(resumed, Some(key.digest(b"body")));
        // Each half is eight state words and a count of one block (the key block), as
        // `tests/js/secrets.test.mjs` looks for them in Wasm memory.
        for half in bytes.as_chunks::<STATE_LEN>().0 {
            assert_eq!(half.split_at(32).1, 1u64.to_le_bytes());
        }
    }

    #[test]
    fn a_long_secret_is_hashed_first() {
        let long = [7u8; 100];
        assert_eq!(
            KeyState::new(&long).bytes(),
            KeyState::new(&sha256(&long)).bytes()
        );
    }
}
