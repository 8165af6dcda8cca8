//! The key-derivation cost a locked key or bundle asks for, checked against a budget before any
//! work. A file chooses its own PBKDF2 iteration count or scrypt parameters (and a PKCS#12 file
//! its MAC and bag iteration counts), so without this check a hostile file would keep a send busy
//! for minutes or ask for gigabytes of memory.

use pkcs8::der::asn1::{AnyRef, OctetStringRef};
use pkcs8::der::{Decode, Encode, Reader, SliceReader};
use pkcs8::pkcs5::pbes2::{Kdf, Pbkdf2Params, ScryptParams, PBKDF2_OID, SCRYPT_OID};
use pkcs8::pkcs5::EncryptionScheme;
use pkcs8::ObjectIdentifier;

use super::keys::KeyError;

/// The most PBKDF2 (or PKCS#12 KDF) iterations a file may ask for; real files use 2 048 to
/// 600 000.
pub(super) const MAX_ITERATIONS: u64 = 10_000_000;

/// The most memory (bytes) scrypt parameters may need (128 · r · N · p); OpenSSL's defaults
/// need 16 MiB.
pub(super) const MAX_SCRYPT_MEMORY: u64 = 256 * 1024 * 1024;

/// The PKCS#12 password-based encryptions (`pbeWithSHAAnd...`, 1.2.840.113549.1.12.1.1-6).
const PKCS12_PBE: [&str; 6] = [
    "1.2.840.113549.1.12.1.1",
    "1.2.840.113549.1.12.1.2",
    "1.2.840.113549.1.12.1.3",
    "1.2.840.113549.1.12.1.4",
    "1.2.840.113549.1.12.1.5",
    "1.2.840.113549.1.12.1.6",
];

pub(super) fn check_scheme(scheme: &EncryptionScheme) -> Result<(), KeyError> {
    match scheme {
        EncryptionScheme::Pbes2(params) => check_kdf(&params.kdf),
        _ => Ok(()),
    }
}

fn check_kdf(kdf: &Kdf) -> Result<(), KeyError> {
    match kdf {
        Kdf::Pbkdf2(p) => check_iterations(u64::from(p.iteration_count), "PBKDF2"),
        Kdf::Scrypt(p) => check_scrypt(p),
        _ => Ok(()),
    }
}

fn check_iterations(count: u64, what: &str) -> Result<(), KeyError> {
    if count > MAX_ITERATIONS {
        return Err(KeyError::OverBudget {
            what: format!("{count} {what} iterations"),
            limit: format!("{MAX_ITERATIONS} iterations"),
        });
    }
    Ok(())
}

fn check_scrypt(p: &ScryptParams) -> Result<(), KeyError> {
    let memory = 128u64
        .saturating_mul(u64::from(p.block_size))
        .saturating_mul(p.cost_parameter)
        .saturating_mul(u64::from(p.parallelization.max(1)));
    if memory > MAX_SCRYPT_MEMORY {
        return Err(KeyError::OverBudget {
            what: format!("{} MiB of scrypt memory", memory / (1024 * 1024)),
            limit: format!("{} MiB", MAX_SCRYPT_MEMORY / (1024 * 1024)),
        });
    }
    Ok(())
}

/// Every cost a PKCS#12 file states in the clear: its MAC's iteration count and the parameters
/// after each PBKDF2, scrypt or PKCS#12 PBE algorithm identifier. (Bags inside an encrypted bag
/// are read by the PKCS#12 reader after it decrypts the outer one; their parameters are not
/// visible here.)
pub(super) fn check_pkcs12(der: &[u8]) -> Result<(), KeyError> {
    if let Some(iterations) = mac_iterations(der) {
        check_iterations(iterations, "PKCS#12 MAC")?;
    }
    for at in occurrences(der, &tlv(PBKDF2_OID)) {
        if let Ok((p, _)) = Pbkdf2Params::from_der_partial(at) {
            check_iterations(u64::from(p.iteration_count), "PBKDF2")?;
        }
    }
    for at in occurrences(der, &tlv(SCRYPT_OID)) {
        if let Ok((p, _)) = ScryptParams::from_der_partial(at) {
            check_scrypt(&p)?;
        }
    }
    for oid in PKCS12_PBE {
        let Ok(oid) = ObjectIdentifier::new(oid) else {
            continue;
        };
        for at in occurrences(der, &tlv(oid)) {
            if let Some(iterations) = pbe_iterations(at) {
                check_iterations(iterations, "PKCS#12 PBE")?;
            }
        }
    }
    Ok(())
}

fn tlv(oid: ObjectIdentifier) -> Vec<u8> {
    oid.to_der().unwrap_or_default()
}

/// The bytes after each place `needle` occurs in `haystack`.
fn occurrences<'a>(haystack: &'a [u8], needle: &'a [u8]) -> impl Iterator<Item = &'a [u8]> + 'a {
    (0..haystack.len().saturating_sub(needle.len()))
        .filter(move |&i| !needle.is_empty() && haystack[i..].starts_with(needle))
        .map(move |i| &haystack[i + needle.len()..])
}

/// `PFX ::= SEQUENCE { version, authSafe, macData SEQUENCE { mac, macSalt, iterations DEFAULT 1 } OPTIONAL }`.
fn mac_iterations(der: &[u8]) -> Option<u64> {
    let mut reader = SliceReader::new(der).ok()?;
    reader
        .sequence(|r| {
            let _version: u8 = r.decode()?;
            let _auth_safe: AnyRef<'_> = r.decode()?;
            if r.is_finished() {
                return Ok::<_, pkcs8::der::Error>(None);
            }
            r.sequence(|r| {
                let _mac: AnyRef<'_> = r.decode()?;
                let _salt: &OctetStringRef = r.decode()?;
                if r.is_finished() {
                    return Ok::<_, pkcs8::der::Error>(Some(1));
                }
                Ok(Some(r.decode::<u64>()?))
            })
        })
        .ok()
        .flatten()
}

/// `pkcs-12PbeParams ::= SEQUENCE { salt OCTET STRING, iterations INTEGER }`, at the start of
/// `at`.
fn pbe_iterations(at: &[u8]) -> Option<u64> {
    let mut reader = SliceReader::new(at).ok()?;
    reader
        .sequence::<_, _, pkcs8::der::Error>(|r| {
            let _salt: &OctetStringRef = r.decode()?;
            r.decode::<u64>()
        })
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pbkdf2_count_above_the_budget_anywhere_in_a_bundle_is_refused() {
        let mut params = Pbkdf2Params::hmac_sha256(2048, b"saltsalt").unwrap();
        params.iteration_count = u32::MAX;
        let mut bytes = vec![0x30, 0x00, 0x04, 0x01, 0xff];
        bytes.extend(tlv(PBKDF2_OID));
        bytes.extend(params.to_der().unwrap());
        let err = check_pkcs12(&bytes).unwrap_err();
        assert!(err.to_string().contains("PBKDF2 iterations"), "{err}");

        let fine = Pbkdf2Params::hmac_sha256(2048, b"saltsalt").unwrap();
        let mut bytes = tlv(PBKDF2_OID);
        bytes.extend(fine.to_der().unwrap());
        check_pkcs12(&bytes).unwrap();
    }

    #[test]
    fn a_mac_or_pbe_count_above_the_budget_is_refused() {
        // SEQUENCE { INTEGER 3, NULL (the authSafe), SEQUENCE { NULL, OCTET STRING "s",
        // INTEGER 0x7fffffff } }, lengths filled in below.
        let mac = [
            0x30, 0x13, 0x02, 0x01, 0x03, 0x05, 0x00, 0x30, 0x0c, 0x05, 0x00, 0x04, 0x01, b's',
            0x02, 0x04, 0x7f, 0xff, 0xff, 0xff,
        ];
        let mac = fix_lengths(&mac);
        let err = check_pkcs12(&mac).unwrap_err();
        assert!(err.to_string().contains("PKCS#12 MAC"), "{err}");

        let mut pbe = tlv(ObjectIdentifier::new(PKCS12_PBE[2]).unwrap());
        pbe.extend([
            0x30, 0x09, 0x04, 0x01, b's', 0x02, 0x04, 0x7f, 0xff, 0xff, 0xff,
        ]);
        let err = check_pkcs12(&pbe).unwrap_err();
        assert!(err.to_string().contains("PKCS#12 PBE"), "{err}");
    }

    /// The MAC sample with its two SEQUENCE lengths computed.
    fn fix_lengths(sample: &[u8]) -> Vec<u8> {
        let mut out = sample.to_vec();
        let inner_len = out.len() - 9;
        out[8] = u8::try_from(inner_len).unwrap();
        let outer_len = out.len() - 2;
        out[1] = u8::try_from(outer_len).unwrap();
        out
    }
}
