//! Staff passwords and PINs as Argon2id hashes (PHC strings, `$argon2id$…`), with OWASP's
//! parameters: 19 MiB of memory, 2 passes, 1 lane. Checking one takes tens of milliseconds on
//! purpose, so the window runs it on a background thread.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use thiserror::Error;

/// OWASP Password Storage Cheat Sheet, Argon2id: m=19456 KiB, t=2, p=1.
const MEMORY_KIB: u32 = 19_456;
const PASSES: u32 = 2;
const LANES: u32 = 1;

#[derive(Debug, Error)]
pub enum CredentialError {
    #[error("The password or PIN could not be stored safely ({0}). Nothing was saved; try again.")]
    Hash(String),
}

fn hasher() -> Result<Argon2<'static>, CredentialError> {
    let params =
        Params::new(MEMORY_KIB, PASSES, LANES, None).map_err(|e| CredentialError::Hash(e.to_string()))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// The Argon2id hash of `secret` with a fresh random salt.
pub fn hash_secret(secret: &str) -> Result<String, CredentialError> {
    let salt = SaltString::generate(&mut OsRng);
    hasher()?
        .hash_password(secret.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| CredentialError::Hash(e.to_string()))
}

/// Whether `secret` matches `stored`. A stored value that is not an Argon2id hash never matches.
pub fn verify_secret(secret: &str, stored: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(stored) else {
        return false;
    };
    if parsed.algorithm.as_str() != "argon2id" {
        return false;
    }
    // The parameters are read from the stored hash, so older hashes still verify.
    Argon2::default()
        .verify_password(secret.as_bytes(), &parsed)
        .is_ok()
}

#[cfg(test)]
#[allow(clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_is_argon2id_and_verifies_only_its_secret() {
        let h = hash_secret("correct horse battery").expect("hash");
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify_secret("correct horse battery", &h));
        assert!(!verify_secret("correct horse batterY", &h));
        assert!(!verify_secret("x", "not a hash"));
    }
}
