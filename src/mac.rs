//! HMAC-SHA256 (RFC 2104) over RustCrypto's SHA-256 compression function, with a keyed state that
//! can leave the core as 64 bytes and come back.
//!
//! Why not the `hmac` crate: its keyed state cannot be exported or imported, and the npm package
//! keeps each `Verifier`'s key state in a small JS-owned buffer (so abandoned Verifiers never pile
//! up in Wasm memory), passing it in per call. The SHA-256 itself stays `sha2`'s audited
//! `compress256` (with its wasm32 SIMD backend); this file only does the RFC 2104 framing and
//! SHA-256's padding. `tests/vectors.rs` checks it against RFC 4231, Wycheproof and RustCrypto's
//! `hmac`, and `tests/properties.rs` against `hmac` on random inputs and split points.

use sha2::block_api::compress256;

const BLOCK: usize = 64;
/// The length of a SHA-256 digest.
pub(crate) const DIGEST_LEN: usize = 32;
/// The bytes of one exported key state: the inner and outer midstates, eight little-endian words each.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))] // used by src/bindings/ (wasm32 only)
pub(crate) const KEY_STATE_LEN: usize = 64;

const IV: [u32; 8] = [
    0x6a09_e667,
    0xbb67_ae85,
    0x3c6e_f372,
    0xa54f_f53a,
    0x510e_527f,
    0x9b05_688c,
    0x1f83_d9ab,
    0x5be0_cd19,
];

/// A streaming SHA-256, resumable from a midstate. Wiped when dropped.
#[derive(Clone)]
pub(crate) struct Sha256 {
    state: [u32; 8],
    block: [u8; BLOCK],
    filled: usize,
    /// Whole blocks compressed so far (including a resumed midstate's one block).
    blocks: u64,
}

impl Sha256 {
    pub(crate) fn new() -> Self {
        Self::resume(IV, 0)
    }

    fn resume(state: [u32; 8], blocks: u64) -> Self {
        Sha256 {
            state,
            block: [0; BLOCK],
            filled: 0,
            blocks,
        }
    }

    pub(crate) fn update(&mut self, mut data: &[u8]) {
        if self.filled > 0 {
            let take = data.len().min(BLOCK - self.filled);
            let (head, rest) = data.split_at(take);
            if let Some(room) = self.block.get_mut(self.filled..self.filled + take) {
                room.copy_from_slice(head);
            }
            self.filled += take;
            data = rest;
            if self.filled < BLOCK {
                return;
            }
            compress256(&mut self.state, core::slice::from_ref(&self.block));
            self.blocks += 1;
            self.filled = 0;
        }
        let (blocks, rest) = data.as_chunks::<BLOCK>();
        compress256(&mut self.state, blocks);
        self.blocks += blocks.len() as u64;
        if let Some(room) = self.block.get_mut(..rest.len()) {
            room.copy_from_slice(rest);
        }
        self.filled = rest.len();
    }

    /// The digest. The state is wiped in place: no copy of it is left behind where it lived
    /// (moving it out of a `Vec` would leave its bytes in the freed allocation).
    pub(crate) fn finalize(&mut self) -> [u8; DIGEST_LEN] {
        let bits = (self.blocks * BLOCK as u64 + self.filled as u64) * 8;
        let filled = self.filled;
        if let Some(tail) = self.block.get_mut(filled..) {
            tail.fill(0);
            if let Some(first) = tail.first_mut() {
                *first = 0x80;
            }
        }
        if filled >= BLOCK - 8 {
            compress256(&mut self.state, core::slice::from_ref(&self.block));
            self.block.fill(0);
        }
        if let Some(length) = self.block.get_mut(BLOCK - 8..) {
            length.copy_from_slice(&bits.to_be_bytes());
        }
        compress256(&mut self.state, core::slice::from_ref(&self.block));
        let mut out = [0; DIGEST_LEN];
        for (bytes, word) in out.chunks_exact_mut(4).zip(self.state) {
            bytes.copy_from_slice(&word.to_be_bytes());
        }
        wipe(&mut self.state);
        wipe(&mut self.block);
        out
    }
}

impl Drop for Sha256 {
    fn drop(&mut self) {
        wipe(&mut self.state);
        wipe(&mut self.block);
    }
}

/// The SHA-256 of `data`.
pub(crate) fn sha256(data: &[u8]) -> [u8; DIGEST_LEN] {
    let mut hasher = Sha256::new();
    hasher.update(data);
    hasher.finalize()
}

/// A keyed HMAC-SHA256: the inner and outer SHA-256 states after the key block XOR ipad/opad.
/// Key-equivalent; wiped when dropped.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct KeyState {
    inner: [u32; 8],
    outer: [u32; 8],
}

impl KeyState {
    /// The key state of `secret` (any length; one over 64 bytes is hashed first, as RFC 2104 says).
    pub(crate) fn new(secret: &[u8]) -> Self {
        let mut key = [0u8; BLOCK];
        if secret.len() > BLOCK {
            let mut digest = sha256(secret);
            key.iter_mut().zip(digest).for_each(|(k, d)| *k = d);
            wipe(&mut digest);
        } else {
            key.iter_mut().zip(secret).for_each(|(k, s)| *k = *s);
        }
        let state = KeyState {
            inner: midstate(&key, 0x36),
            outer: midstate(&key, 0x5c),
        };
        wipe(&mut key);
        state
    }

    /// The 64 bytes [`from_bytes`](Self::from_bytes) takes back.
    #[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))] // used by src/bindings/ (wasm32 only)
    pub(crate) fn to_bytes(&self, out: &mut [u8; KEY_STATE_LEN]) {
        let words = self.inner.iter().chain(&self.outer);
        for (bytes, word) in out.chunks_exact_mut(4).zip(words) {
            bytes.copy_from_slice(&word.to_le_bytes());
        }
    }

    /// The key state [`to_bytes`](Self::to_bytes) wrote.
    #[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))] // used by src/bindings/ (wasm32 only)
    pub(crate) fn from_bytes(bytes: &[u8; KEY_STATE_LEN]) -> Self {
        let mut state = KeyState {
            inner: [0; 8],
            outer: [0; 8],
        };
        let words = state.inner.iter_mut().chain(state.outer.iter_mut());
        for (word, chunk) in words.zip(bytes.chunks_exact(4)) {
            let mut le = [0; 4];
            le.copy_from_slice(chunk);
            *word = u32::from_le_bytes(le);
        }
        state
    }

    /// A running HMAC of this key.
    pub(crate) fn start(&self) -> Mac {
        Mac {
            inner: Sha256::resume(self.inner, 1),
            outer: self.outer,
        }
    }

    /// The HMAC of `payload` in one go.
    pub(crate) fn digest(&self, payload: &[u8]) -> [u8; DIGEST_LEN] {
        let mut mac = self.start();
        mac.update(payload);
        mac.finalize()
    }
}

fn midstate(key: &[u8; BLOCK], pad: u8) -> [u32; 8] {
    let mut block = [0u8; BLOCK];
    block.iter_mut().zip(key).for_each(|(b, k)| *b = k ^ pad);
    let mut state = IV;
    compress256(&mut state, core::slice::from_ref(&block));
    wipe(&mut block);
    state
}

impl Drop for KeyState {
    fn drop(&mut self) {
        wipe(&mut self.inner);
        wipe(&mut self.outer);
    }
}

/// One HMAC being computed: feed it with [`update`](Self::update), as many times as needed.
#[derive(Clone)]
pub(crate) struct Mac {
    inner: Sha256,
    outer: [u32; 8],
}

impl Mac {
    pub(crate) fn update(&mut self, data: &[u8]) {
        self.inner.update(data);
    }

    /// The HMAC. Wiped in place, like [`Sha256::finalize`].
    pub(crate) fn finalize(&mut self) -> [u8; DIGEST_LEN] {
        let inner = self.inner.finalize();
        let mut outer = Sha256::resume(self.outer, 1);
        wipe(&mut self.outer);
        outer.update(&inner);
        outer.finalize()
    }
}

impl Drop for Mac {
    fn drop(&mut self) {
        wipe(&mut self.outer);
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
    fn sha256_matches_fips_examples_at_every_split() {
        let abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        assert_eq!(hex::encode(sha256(b"abc")), abc);
        let long = b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
        let expected = "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";
        for split in 0..=long.len() {
            let (a, b) = long.split_at(split);
            let mut hasher = Sha256::new();
            hasher.update(a);
            hasher.update(b);
            assert_eq!(hex::encode(hasher.finalize()), expected, "split at {split}");
        }
    }

    #[test]
    fn key_state_round_trips_through_bytes() {
        let key = KeyState::new(b"key");
        let mut bytes = [0; KEY_STATE_LEN];
        key.to_bytes(&mut bytes);
        assert!(KeyState::from_bytes(&bytes) == key);
        // RFC 4231 test case 2.
        assert_eq!(
            hex::encode(KeyState::new(b"Jefe").digest(b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
