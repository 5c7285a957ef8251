//! Document ids and hashes every stage agrees on: the stable id a document gets when its
//! metadata names none ([`default_document_id`], a readable slug of the path plus a short
//! hash), the hash of a document without a file ([`entry_content_hash`], so an unchanged entry
//! is not written again), and lowercase [`hex`] of digests.

use sha2::{Digest, Sha256};

use crate::model::Document;

/// A readable slug of the source path plus a short hash: stable across runs.
pub fn default_document_id(source: &str) -> String {
    let without_extension = source
        .strip_suffix(".pdf")
        .or_else(|| source.strip_suffix(".PDF"))
        .unwrap_or(source);
    let mut slug = String::new();
    for character in crate::analysis::fold(without_extension).chars() {
        if character.is_ascii_alphanumeric() {
            slug.push(character);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug: String = slug.trim_end_matches('-').chars().take(60).collect();
    let digest = Sha256::digest(source.as_bytes());
    let short_hash = hex(&digest[..4]);
    if slug.is_empty() {
        return short_hash;
    }
    format!("{}-{short_hash}", slug.trim_end_matches('-'))
}

/// Hash of a document without a file (inventory row, complaint record, DiWoo entry): all its
/// fields and the schema version, so an unchanged entry is not written again.
pub fn entry_content_hash(document: &Document) -> String {
    let mut without_hash = document.clone();
    without_hash.fields.content_hash.clear();
    let mut hasher = Sha256::new();
    hasher.update(serde_json::to_vec(&without_hash).unwrap_or_default());
    hasher.update(crate::schema::SCHEMA_VERSION.to_le_bytes());
    hex(&hasher.finalize())
}

/// Lowercase hexadecimal of bytes (digests in ids and content hashes).
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_ids_are_readable_and_stable() {
        let id = default_document_id("coronamelder/Bijlage A - DPIA Coronamelder.pdf");
        assert!(
            id.starts_with("coronamelder-bijlage-a-dpia-coronamelder-"),
            "{id}"
        );
        assert_eq!(
            id,
            default_document_id("coronamelder/Bijlage A - DPIA Coronamelder.pdf")
        );
        assert_ne!(id, default_document_id("coronamelder/Bijlage B.pdf"));
    }
}
