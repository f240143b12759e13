//! The delivery key: what identifies one delivery across retries and receiver instances.
//!
//! Elenik signs the body alone, with no delivery id or timestamp, and a retry sends the very same
//! bytes. The SHA-256 of the raw body is therefore the same for every copy of a delivery (even
//! when a rotated secret signed the retry), and different for any other event.

/// The lowercase hex SHA-256 of the raw body: the key the receiver's duplicate guard claims.
///
/// ```
/// let key = elenik_webhooks::delivery_key(b"{}");
/// assert_eq!(key, "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
/// ```
pub fn delivery_key(payload: &[u8]) -> String {
    hex::encode(crate::mac::sha256(payload))
}

#[cfg(test)]
mod tests {
    use super::delivery_key;

    #[test]
    fn is_the_sha256_of_the_body() {
        // FIPS 180-2's "abc" example.
        assert_eq!(
            delivery_key(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            delivery_key(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
